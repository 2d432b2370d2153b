// Dialogs and toasts for API errors, so every screen shows the server's Chinese message
// and its hint the same way.
import { nextTick } from 'vue';
import { showConfirmDialog, showDialog, showToast } from 'vant';
import 'vant/es/dialog/style';
import 'vant/es/toast/style';

export function errorText(error) {
  if (!error) return '';
  return error.hint ? error.message + '\n' + error.hint : error.message;
}

// Vant's dialogs point aria-labelledby at their title's text instead of an element, which
// leaves them without an accessible name; the open one is named after its title here.
function nameOpenDialog(title) {
  nextTick(() => {
    document.querySelectorAll('.van-dialog[role="dialog"]').forEach((dialog) => {
      if (!dialog.getAttribute('aria-label')) dialog.setAttribute('aria-label', title);
    });
  });
}

export function showApiError(error, title = '提示') {
  const shown = showDialog({ title, message: errorText(error), confirmButtonText: '我知道了', messageAlign: 'left' });
  nameOpenDialog(title);
  return shown;
}

// A question with two answers; resolves when confirmed, rejects when cancelled.
export function askToConfirm(options) {
  const shown = showConfirmDialog(options);
  nameOpenDialog(options.title);
  return shown;
}

export function toast(message) {
  showToast({ message, wordBreak: 'break-word' });
}
