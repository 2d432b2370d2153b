// How the app writes dates and times: the guide's and the card's own style, 2019.02.13, and
// a validity period as 2019.02.13–2029.02.13 (or …–长期).

// "20190213", "2019-02-13", "2019.02.13" or "2019年2月13日" → "2019.02.13"; anything else as is.
export function formatDate(text) {
  if (!text) return '';
  const match = /^(\d{4})\D?(\d{1,2})\D?(\d{1,2})\D?$/.exec(String(text).trim());
  if (!match) return String(text);
  return match[1] + '.' + match[2].padStart(2, '0') + '.' + match[3].padStart(2, '0');
}

export function formatValidity(from, to) {
  if (!from && !to) return '';
  return formatDate(from) + '–' + (to === '长期' ? '长期' : formatDate(to));
}

// Epoch milliseconds → "2026.10.08 14:05" in China time, whatever the phone's time zone.
export function formatChinaTime(millis) {
  if (!millis) return '';
  const date = new Date(millis + 8 * 3600 * 1000);
  const two = (n) => String(n).padStart(2, '0');
  return (
    date.getUTCFullYear() + '.' + two(date.getUTCMonth() + 1) + '.' + two(date.getUTCDate()) + ' ' + two(date.getUTCHours()) + ':' + two(date.getUTCMinutes())
  );
}
