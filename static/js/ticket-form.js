// Report form: fill latitude and longitude from the phone's location (WGS-84, as the form expects).
// Without this script, or without permission, the fields are simply typed in or left empty.
document.querySelectorAll("[data-locate]").forEach((button) => {
  const form = button.closest("form");
  const status = form.querySelector("[data-locate-status]");
  if (!("geolocation" in navigator)) { button.hidden = true; return; }
  button.hidden = false;
  button.addEventListener("click", () => {
    status.textContent = "正在定位…";
    navigator.geolocation.getCurrentPosition(
      (position) => {
        form.querySelector("[name=lat]").value = position.coords.latitude.toFixed(6);
        form.querySelector("[name=lng]").value = position.coords.longitude.toFixed(6);
        status.textContent = `已定位（精度约 ${Math.round(position.coords.accuracy)} 米）`;
      },
      (error) => { status.textContent = `定位失败：${error.message}`; },
      { enableHighAccuracy: true, timeout: 15000 },
    );
  });
});

// 所在区域: the search box above the list hides the regions whose name does not contain what is typed.
document.querySelectorAll("[data-filter-select]").forEach((box) => {
  const select = document.getElementById(box.dataset.filterSelect);
  if (!select) return;
  box.hidden = false;
  box.addEventListener("input", () => {
    const text = box.value.trim();
    let first = null;
    for (const option of select.options) {
      const shown = !option.value || !text || option.textContent.includes(text);
      option.hidden = !shown;
      if (shown && option.value && !first) first = option;
    }
    // One match left: choose it, so the points below follow.
    if (text && first && [...select.options].filter((o) => o.value && !o.hidden).length === 1 && select.value !== first.value) {
      select.value = first.value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
});
