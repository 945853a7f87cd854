// Photos are made smaller on the phone before they are queued: longest side at most 1,600 px, JPEG at 0.85,
// turned upright from the camera's EXIF orientation. Small photos are never enlarged.
"use strict";
(function () {
  const cwm = (window.cwm = window.cwm || {});
  const MAX_SIDE = 1600;
  const QUALITY = 0.85;

  function encode(canvas) {
    return new Promise((resolve, reject) => {
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("encode"))), "image/jpeg", QUALITY);
    });
  }

  // The photo as a JPEG Blob ready to queue; throws a Chinese message when the phone cannot read it.
  cwm.downscale = async (file) => {
    if (!window.createImageBitmap) return file;  // very old browsers: the server still re-encodes it
    let bitmap;
    try {
      bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch (error) {
      throw new Error(`「${file.name || "照片"}」无法读取，请重新拍摄（JPG、PNG 或 WebP）。`);
    }
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    if (scale === 1 && file.type === "image/jpeg") {
      bitmap.close();
      return file;  // already small: re-encoding would only lose quality
    }
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    const context = canvas.getContext("2d");
    context.imageSmoothingQuality = "high";
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    return encode(canvas);
  };
})();
