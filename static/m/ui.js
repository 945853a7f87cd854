// Small helpers for building the screens: elements from plain data (text is never parsed as HTML), times,
// distances, and which check items a point is walked with.
"use strict";
(function () {
  const cwm = (window.cwm = window.cwm || {});

  // h("p", {class: "muted", onclick: fn}, "text", child…) → an element.
  cwm.h = (tag, props, ...children) => {
    const element = document.createElement(tag);
    Object.entries(props || {}).forEach(([key, value]) => {
      if (value === null || value === undefined || value === false) return;
      if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
      else if (key === "class") element.className = value;
      else element.setAttribute(key, value === true ? "" : value);
    });
    children.flat(Infinity).forEach((child) => {
      if (child !== null && child !== undefined && child !== false) element.append(child);
    });
    return element;
  };

  cwm.clock = (iso) => {
    const date = new Date(iso);
    return `${String(date.getHours()).padStart(2, "0")}:${String(date.getMinutes()).padStart(2, "0")}`;
  };

  cwm.metres = (m) => {
    if (m < 30) return "就在附近";
    return m < 1000 ? `约 ${Math.round(m / 10) * 10} 米` : `约 ${(m / 1000).toFixed(1)} 公里`;
  };

  const byName = (a, b) => a.name.localeCompare(b.name, "zh-Hans-CN");

  // Points nearest first when the phone knows where it is, else by name; each with its distance or null.
  cwm.sortPoints = (points, here) => {
    const rows = points.map((point) => {
      const known = here && point.lat !== null && point.lng !== null;
      const at = known ? { lat: Number(point.lat), lng: Number(point.lng) } : null;
      return { point, distance: at ? cwm.geo.distance(here, at) : null };
    });
    return rows.sort((a, b) => {
      const [da, db] = [a.distance, b.distance];
      if (da !== null && db !== null && da !== db) return da - db;
      if ((da === null) !== (db === null)) return da === null ? 1 : -1;
      return byName(a.point, b.point);
    });
  };

  // The templates a point is walked with: those for its type first, then those for every point (病媒),
  // as apps/patrols/templates_for.py decides on the server.
  cwm.templatesFor = (point, templates) => {
    const specific = templates.filter((t) => t.point_types.includes(point.type));
    const general = templates.filter((t) => t.point_types.length === 0);
    return [...specific, ...general].filter((t) => t.items.length);
  };

  cwm.itemsFor = (point, templates) => cwm.templatesFor(point, templates).flatMap((t) => t.items);

  // The problem categories a point's items are filed under, once each, for 随手拍.
  cwm.categoriesFor = (point, templates) => {
    const seen = new Map();
    cwm.itemsFor(point, templates).forEach((item) => {
      if (!seen.has(item.category)) seen.set(item.category, { id: item.category, name: item.category_name });
    });
    return [...seen.values()];
  };
})();

(function () {
  const cwm = window.cwm;

  // A button that asks for a second tap (within 5 s) before doing something hard to undo; no dialog boxes.
  cwm.twoTap = (props, label, confirmLabel, onConfirm) => {
    let armed = false;
    const button = cwm.h("button", {
      type: "button",
      ...props,
      onclick: () => {
        if (confirmLabel && !armed) {
          armed = true;
          button.textContent = confirmLabel;
          button.classList.add("armed");
          setTimeout(() => {
            armed = false;
            button.textContent = label;
            button.classList.remove("armed");
          }, 5000);
          return;
        }
        button.disabled = true;
        onConfirm();
      },
    }, label);
    return button;
  };

  // A message in place of a screen that cannot be shown, with a way back.
  cwm.nothing = (text, href = "#", link = "返回巡查首页") =>
    cwm.h("section", { class: "screen" },
      cwm.h("p", { class: "msg" }, text),
      cwm.h("a", { class: "btn block", href }, link));
})();
