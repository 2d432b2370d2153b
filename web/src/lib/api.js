// The client of the examphoto candidate API (/api/v1). Every request goes through XHR so
// that uploads report progress and every failure — HTTP error, lost connection, timeout —
// becomes one ApiError carrying a Chinese message and a hint the screen can show as is.
// Owns the bearer token (kept in localStorage so a return days later stays logged in).

const BASE = '/api/v1';
const TOKEN_KEY = 'examphoto.token';

let memoryToken = null;
const unauthorizedListeners = [];

export function getToken() {
  try {
    return window.localStorage.getItem(TOKEN_KEY) || memoryToken;
  } catch (e) {
    return memoryToken;
  }
}

export function setToken(token) {
  memoryToken = token;
  try {
    if (token) window.localStorage.setItem(TOKEN_KEY, token);
    else window.localStorage.removeItem(TOKEN_KEY);
  } catch (e) {
    // Private mode in some in-app browsers forbids storage: the memory copy still works
    // for this visit.
  }
}

export function onUnauthorized(listener) {
  unauthorizedListeners.push(listener);
}

export class ApiError extends Error {
  constructor({ status = 0, code = '', message, hint = '', issues = [], retryAfter = 0, network = false }) {
    super(message);
    this.status = status;
    this.code = code;
    this.hint = hint;
    this.issues = issues;
    this.retryAfter = retryAfter;
    this.network = network;
  }
}

const NETWORK_ERROR = {
  message: '网络连接失败，请求未能完成。',
  hint: '请检查手机网络（可尝试切换WiFi或移动数据）后点击“重试”。',
};
const TIMEOUT_ERROR = {
  message: '请求超时，网络较慢。',
  hint: '请检查网络后点击“重试”。',
};
const UNREADABLE_ERROR = {
  message: '系统暂时无法访问。',
  hint: '请稍后几分钟再试；如仍有问题，请联系自考办。',
};

function parseJson(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch (e) {
    return undefined;
  }
}

const AUTOMATIC_RETRIES = 3;
const LONGEST_AUTOMATIC_WAIT_SECONDS = 15;

// Sends one request. `options`: json (object body), body + contentType (raw body),
// responseType 'blob' for images, onUploadProgress(fraction 0..1), timeoutMs.
// A 503 with Retry-After (the server is starting, or its photo queue is full) did nothing,
// so it is sent again by itself a few times before the candidate sees an error.
export async function request(method, path, options = {}) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await requestOnce(method, path, options);
    } catch (error) {
      const waitSeconds = error.status === 503 ? error.retryAfter : 0;
      if (attempt >= AUTOMATIC_RETRIES || waitSeconds <= 0 || waitSeconds > LONGEST_AUTOMATIC_WAIT_SECONDS) throw error;
      if (options.onRetryWait) options.onRetryWait(error, waitSeconds);
      await new Promise((resolve) => setTimeout(resolve, waitSeconds * 1000));
    }
  }
}

function requestOnce(method, path, options) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, BASE + path, true);
    xhr.timeout = options.timeoutMs || 30000;
    const token = getToken();
    if (token) xhr.setRequestHeader('Authorization', 'Bearer ' + token);
    xhr.setRequestHeader('Accept', 'application/json');
    let body = null;
    if (options.json !== undefined) {
      xhr.setRequestHeader('Content-Type', 'application/json; charset=utf-8');
      body = JSON.stringify(options.json);
    } else if (options.body !== undefined) {
      xhr.setRequestHeader('Content-Type', options.contentType || 'application/octet-stream');
      body = options.body;
    }
    if (options.responseType === 'blob') xhr.responseType = 'blob';
    if (options.onUploadProgress && xhr.upload) {
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable && event.total > 0) options.onUploadProgress(event.loaded / event.total);
      };
    }
    xhr.onerror = () => reject(new ApiError({ ...NETWORK_ERROR, network: true }));
    xhr.ontimeout = () => reject(new ApiError({ ...TIMEOUT_ERROR, network: true }));
    xhr.onload = () => {
      const status = xhr.status;
      if (status >= 200 && status < 300) {
        if (options.responseType === 'blob') return resolve(xhr.response);
        const data = status === 204 ? null : parseJson(xhr.responseText);
        return resolve(data === undefined ? null : data);
      }
      const text = xhr.responseType === 'blob' ? '' : xhr.responseText;
      const data = parseJson(text);
      const error = (data && data.error) || {};
      const retryAfter = parseInt(xhr.getResponseHeader('Retry-After') || '0', 10) || 0;
      const apiError = new ApiError({
        status,
        code: error.code || '',
        message: error.message || (status === 0 ? NETWORK_ERROR.message : UNREADABLE_ERROR.message),
        hint: error.hint || (error.message ? '' : UNREADABLE_ERROR.hint),
        issues: (data && data.issues) || [],
        retryAfter,
        network: status === 0 || status === 502 || status === 503 || status === 504,
      });
      if (status === 401) {
        setToken(null);
        unauthorizedListeners.forEach((listener) => listener(apiError));
      }
      reject(apiError);
    };
    xhr.send(body);
  });
}

export const api = {
  appConfig: () => request('GET', '/app-config'),
  agreement: (kind) => request('GET', '/agreements/' + kind),
  requestSmsCode: (phone) => request('POST', '/auth/sms-code', { json: { phone } }),
  login: (phone, code, agreements) => request('POST', '/auth/login', { json: { phone, code, agreements } }),
  logout: () => request('POST', '/auth/logout'),
  me: () => request('GET', '/me'),
  uploadIdCard: (side, image, onUploadProgress) =>
    request('PUT', '/me/id-card/' + side, {
      body: image.blob,
      contentType: image.type,
      onUploadProgress,
      timeoutMs: 120000,
    }),
  confirmIdentity: () => request('POST', '/me/id-card/confirm'),
  reenterIdCard: () => request('POST', '/me/id-card/reenter'),
  uploadPhoto: (image, onUploadProgress) =>
    request('POST', '/me/photos', { body: image.blob, contentType: image.type, onUploadProgress, timeoutMs: 120000 }),
  retakePhoto: () => request('POST', '/me/photo/retake'),
  submitPhoto: () => request('POST', '/me/photo/submit'),
  startVerification: () => request('POST', '/me/verification', { json: { consent: true } }),
  // `url` comes from the API itself (/api/v1/me/photos/{id}/image) and needs the token.
  imageBlob: (url) => request('GET', url.indexOf(BASE) === 0 ? url.slice(BASE.length) : url, { responseType: 'blob' }),
};
