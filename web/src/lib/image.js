// Prepares a photo for upload on the phone itself: a 12-megapixel camera picture is cut to
// a long side of about 2000 px and re-encoded as JPEG, so a weak network carries ~0.5 MB
// instead of 5 MB. A picture that is already small and in a format the server reads is
// sent untouched, keeping its metadata (the server looks there for editing software).

export const MAX_LONG_SIDE = 2000;
const JPEG_QUALITY = 0.9;
const SERVER_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'];
const UNTOUCHED_LIMIT_BYTES = 4 * 1024 * 1024;

function loadImageElement(file) {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const image = new Image();
    image.onload = () => resolve({ source: image, width: image.naturalWidth, height: image.naturalHeight, release: () => URL.revokeObjectURL(url) });
    image.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('decode'));
    };
    image.src = url;
  });
}

// createImageBitmap honours the EXIF orientation when asked; older WebViews lack it (or
// the option), and an <img> then does the same job, as browsers since 2020 rotate by EXIF.
async function decode(file) {
  if (typeof window.createImageBitmap === 'function') {
    try {
      const bitmap = await window.createImageBitmap(file, { imageOrientation: 'from-image' });
      return { source: bitmap, width: bitmap.width, height: bitmap.height, release: () => bitmap.close && bitmap.close() };
    } catch (e) {
      // fall through to <img>
    }
  }
  return loadImageElement(file);
}

function canvasToBlob(canvas, type, quality) {
  return new Promise((resolve) => {
    if (canvas.toBlob) {
      canvas.toBlob((blob) => resolve(blob), type, quality);
      return;
    }
    const dataUrl = canvas.toDataURL(type, quality);
    const bytes = atob(dataUrl.split(',')[1]);
    const array = new Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i += 1) array[i] = bytes.charCodeAt(i);
    resolve(new Blob([array], { type }));
  });
}

export function drawToJpeg(source, width, height, targetWidth, targetHeight) {
  const canvas = document.createElement('canvas');
  canvas.width = targetWidth;
  canvas.height = targetHeight;
  const context = canvas.getContext('2d');
  context.imageSmoothingEnabled = true;
  if ('imageSmoothingQuality' in context) context.imageSmoothingQuality = 'high';
  context.drawImage(source, 0, 0, width, height, 0, 0, targetWidth, targetHeight);
  return canvasToBlob(canvas, 'image/jpeg', JPEG_QUALITY);
}

// Returns { blob, type, width, height, downscaled } ready for the API.
export async function prepareForUpload(file) {
  const type = (file.type || '').toLowerCase();
  let decoded;
  try {
    decoded = await decode(file);
  } catch (e) {
    // The browser cannot read it (HEIC on most Android phones): let the server try.
    return { blob: file, type: SERVER_TYPES.indexOf(type) >= 0 ? type : 'image/jpeg', width: 0, height: 0, downscaled: false };
  }
  try {
    const { width, height } = decoded;
    const longSide = Math.max(width, height);
    const keep = longSide <= MAX_LONG_SIDE && SERVER_TYPES.indexOf(type) >= 0 && file.size <= UNTOUCHED_LIMIT_BYTES;
    if (keep) return { blob: file, type, width, height, downscaled: false };
    const scale = Math.min(1, MAX_LONG_SIDE / longSide);
    const targetWidth = Math.max(1, Math.round(width * scale));
    const targetHeight = Math.max(1, Math.round(height * scale));
    const blob = await drawToJpeg(decoded.source, width, height, targetWidth, targetHeight);
    if (!blob) return { blob: file, type: type || 'image/jpeg', width, height, downscaled: false };
    return { blob, type: 'image/jpeg', width: targetWidth, height: targetHeight, downscaled: true };
  } finally {
    decoded.release();
  }
}

const IMAGE_NAME = /\.(jpe?g|png|webp|gif|bmp|heic|heif)$/i;
const HEIF = /^image\/hei[cf]$|\.hei[cf]$/i;

// Whether `file` can be uploaded as a photo, checked when it is chosen rather than after
// 下一步: null when it can, else {message, hint}. A file the browser cannot decode is refused
// unless it is HEIC/HEIF, which most Android browsers cannot show but the server reads.
export async function checkImageFile(file) {
  const type = (file.type || '').toLowerCase();
  if (type.indexOf('image/') !== 0 && !IMAGE_NAME.test(file.name || '')) {
    return { message: '所选文件不是图片。', hint: '请选择手机相册中的照片（JPG、PNG、HEIC 等格式）。' };
  }
  if (!file.size) return { message: '所选图片是空文件。', hint: '请重新拍摄或选择其他照片。' };
  try {
    const decoded = await decode(file);
    const ok = decoded.width > 0 && decoded.height > 0;
    decoded.release();
    if (ok) return null;
  } catch (e) {
    if (HEIF.test(type) || HEIF.test(file.name || '')) return null;
  }
  return { message: '无法读取这张图片，文件可能已损坏或格式不受支持。', hint: '请重新拍摄，或选择其他照片（JPG、PNG、HEIC 等格式）。' };
}
