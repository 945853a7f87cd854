// Drag-and-drop onto an evidence upload form: dropped files go into the form's own file input,
// so the upload is still one ordinary multipart POST (and works without this script).
document.querySelectorAll("[data-dropzone]").forEach((zone) => {
  const input = zone.querySelector("input[type=file]");
  const list = zone.querySelector("[data-dropzone-list]");
  const show = () => {
    list.textContent = Array.from(input.files).map((f) => f.name).join("、");
  };
  input.addEventListener("change", show);
  ["dragenter", "dragover"].forEach((name) =>
    zone.addEventListener(name, (event) => { event.preventDefault(); zone.classList.add("over"); }));
  ["dragleave", "drop"].forEach((name) =>
    zone.addEventListener(name, () => zone.classList.remove("over")));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      show();
    }
  });
});
