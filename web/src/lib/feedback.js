// Dialogs and toasts for API errors, so every screen shows the server's Chinese message
// and its hint the same way.
import { showDialog, showToast } from 'vant';
import 'vant/es/dialog/style';
import 'vant/es/toast/style';

export function errorText(error) {
  if (!error) return '';
  return error.hint ? error.message + '\n' + error.hint : error.message;
}

export function showApiError(error, title = '提示') {
  return showDialog({ title, message: errorText(error), confirmButtonText: '我知道了', messageAlign: 'left' });
}

export function toast(message) {
  showToast({ message, wordBreak: 'break-word' });
}
