// Calls to /api/v1/office with the staff token; failures become Error objects carrying the
// server's Chinese message and hint (shown as they are).
//
// The token lives in sessionStorage (closing the browser logs out). A second tab of the same
// browser session asks the open ones for it over a BroadcastChannel, so it needs no second
// login; logging out in one tab logs out all of them.
const TOKEN_KEY = 'examphoto.office.token';
const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('examphoto.office.session');
const logoutListeners = [];

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}
export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}
export function onLoggedOutElsewhere(listener) {
  logoutListeners.push(listener);
}
export function announceLogout() {
  if (channel) channel.postMessage({ type: 'logout' });
}

if (channel) {
  channel.onmessage = (event) => {
    const message = event.data || {};
    if (message.type === 'ask' && token()) channel.postMessage({ type: 'token', token: token() });
    if (message.type === 'logout' && token()) {
      setToken('');
      logoutListeners.forEach((listener) => listener());
    }
  };
}

// The session of another open tab, if there is one (waits at most `ms`).
export function borrowToken(ms = 300) {
  if (token() || !channel) return Promise.resolve(token());
  return new Promise((resolve) => {
    const listener = new BroadcastChannel('examphoto.office.session');
    const done = (value) => {
      clearTimeout(timer);
      listener.close();
      if (value) setToken(value);
      resolve(value || '');
    };
    const timer = setTimeout(() => done(''), ms);
    listener.onmessage = (event) => event.data && event.data.type === 'token' && done(event.data.token);
    listener.postMessage({ type: 'ask' });
  });
}

export class ApiError extends Error {
  constructor(status, body) {
    const error = body?.error || {};
    super(error.message || `请求失败（${status}）`);
    this.status = status;
    this.code = error.code || '';
    this.hint = error.hint || '';
    this.body = body;
  }
}

export async function request(method, path, { json, body, headers = {}, raw = false } = {}) {
  const init = { method, headers: { ...headers } };
  if (token()) init.headers.authorization = `Bearer ${token()}`;
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers['content-type'] = 'application/json';
  } else if (body !== undefined) {
    init.body = body;
  }
  const response = await fetch(`/api/v1/office${path}`, init);
  if (raw && response.ok) return response;
  const text = await response.text();
  const parsed = text && (response.headers.get('content-type') || '').includes('json') ? JSON.parse(text) : null;
  if (!response.ok) {
    if (response.status === 401) setToken('');
    throw new ApiError(response.status, parsed);
  }
  return parsed;
}

export const api = {
  login: (username, password) => request('POST', '/auth/login', { json: { username, password } }),
  logout: () => request('POST', '/auth/logout'),
  me: () => request('GET', '/auth/me'),
  search: (params) => request('GET', `/candidates?${new URLSearchParams(params)}`),
  detail: (id) => request('GET', `/candidates/${id}`),
  correct: (id, json) => request('POST', `/candidates/${id}/correction`, { json }),
  reset: (id, json) => request('POST', `/candidates/${id}/reset`, { json }),
  decide: (id, json) => request('POST', `/candidates/${id}/photo-decision`, { json }),
  dashboard: (days) => request('GET', `/dashboard?days=${days}`),
  audit: (params) => request('GET', `/audit?${new URLSearchParams(params)}`),
  importRoster: (file, dryRun) =>
    request('POST', `/roster/import?file_name=${encodeURIComponent(file.name)}${dryRun ? '&dry_run=1' : ''}`, {
      body: file,
      headers: { 'content-type': 'text/csv' },
    }),
};

// Downloads an authenticated file (export, poster) through a blob URL.
export async function download(path, fallbackName) {
  const response = await request('GET', path, { raw: true });
  const disposition = response.headers.get('content-disposition') || '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] || fallbackName;
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

// An authenticated image as an object URL (img tags cannot send the bearer token).
export async function imageUrl(path) {
  const response = await request('GET', path.replace('/api/v1/office', ''), { raw: true });
  return URL.createObjectURL(await response.blob());
}
