// Page chrome shared by every page: the phone menu and the folded filters open with one button each.
(() => {
  "use strict";
  // Query parameters that order or page a list; they are not filters.
  const NOT_FILTERS = new Set(["page", "sort", "order", "o", "ordering", "dir"]);

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-toggle]");
    if (!button) return;
    const target = document.getElementById(button.getAttribute("aria-controls"));
    if (!target) return;
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    target.classList.toggle("open", open);
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const button = document.querySelector('.nav-toggle[aria-expanded="true"]');
    if (button) button.click();
  });

  // After htmx pushes the filtered URL, the folded filters' button counts the filters now in force.
  function recount() {
    const params = new URLSearchParams(window.location.search);
    let n = 0;
    for (const [name, value] of params) if (!NOT_FILTERS.has(name) && value.trim() !== "") n += 1;
    document.querySelectorAll("[data-filter-count]").forEach((el) => { el.textContent = String(n); });
  }
  document.addEventListener("htmx:pushedIntoHistory", recount);
  window.addEventListener("popstate", recount);
})();

// A link into a folded section (#template-street, #item-12) opens it, on arrival and when the hash changes.
(() => {
  "use strict";
  function openTarget() {
    const id = decodeURIComponent(window.location.hash.slice(1));
    const target = id && document.getElementById(id);
    const folded = target && target.closest("details");
    if (folded) folded.open = true;
  }
  document.addEventListener("DOMContentLoaded", openTarget);
  window.addEventListener("hashchange", openTarget);
})();

// Sections folded for phones (details[data-open-wide]) start open on wider screens.
(() => {
  "use strict";
  function openWide(root) {
    if (!window.matchMedia("(min-width: 641px)").matches) return;
    root.querySelectorAll("details[data-open-wide]:not([data-seen])").forEach((el) => {
      el.open = true;
      el.dataset.seen = "1";  // once: a section the user folds stays folded
    });
  }
  document.addEventListener("DOMContentLoaded", () => openWide(document));
  document.addEventListener("htmx:afterSwap", (event) => openWide(event.target));
})();
