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
