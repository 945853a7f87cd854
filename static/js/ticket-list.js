// Ticket lists with picked rows (the office's bulk dispatch, a unit's 签收所选): "select all" and a count.
// Listens on the document, so rows swapped in by htmx (filters, paging) work without re-binding.
(() => {
  const boxes = () => document.querySelectorAll('input[name="tickets"][form]');
  const count = () => {
    const shown = document.querySelector("[data-selected-count]");
    if (!shown) return;
    const n = Array.from(boxes()).filter((box) => box.checked).length;
    shown.textContent = n ? `已选 ${n} 件` : "请先在下方勾选工单";
  };
  document.addEventListener("change", (event) => {
    const target = event.target;
    if (target.matches("[data-select-all]")) {
      boxes().forEach((box) => { box.checked = target.checked; });
    }
    if (target.matches("[data-select-all], input[name=tickets]")) count();
  });
  document.addEventListener("htmx:afterSwap", count);
  count();
})();
