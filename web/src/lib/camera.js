// Whether the live camera can be used here. getUserMedia exists only in secure contexts
// (HTTPS or localhost) and is missing in some in-app browsers; then the system camera is
// opened through <input capture> instead.
export function liveCameraSupported() {
  return !!(
    typeof window !== 'undefined' &&
    window.isSecureContext !== false &&
    navigator.mediaDevices &&
    typeof navigator.mediaDevices.getUserMedia === 'function'
  );
}
