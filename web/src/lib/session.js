// The app's shared state: the public app configuration (office phone, agreement versions,
// SMS settings) and the logged-in candidate as last reported by GET /me. Screens read it;
// only actions that the server answered with a new state change it.
import { reactive } from 'vue';
import { api, getToken, setToken } from './api.js';

export const DEFAULT_OFFICE_PHONE = '010-89193989 转 6';

export const session = reactive({
  config: null,
  me: null,
  // The failure that sent the candidate to the retry screen.
  lastError: null,
});

let configPromise = null;

export function loadConfig() {
  if (session.config) return Promise.resolve(session.config);
  if (!configPromise) {
    configPromise = api.appConfig().then(
      (config) => {
        session.config = config;
        return config;
      },
      (error) => {
        configPromise = null;
        throw error;
      },
    );
  }
  return configPromise;
}

export function officePhone() {
  return (session.config && session.config.office_phone) || DEFAULT_OFFICE_PHONE;
}

// "010-89193989 转 6" → "tel:010-89193989,6" (a pause, then the extension).
export function officePhoneHref() {
  const match = /^([\d-]+)\s*转\s*(\d+)/.exec(officePhone());
  if (match) return 'tel:' + match[1] + ',' + match[2];
  return 'tel:' + officePhone().replace(/[^\d+-]/g, '');
}

export function isLoggedIn() {
  return !!getToken();
}

export async function refreshMe() {
  session.me = await api.me();
  return session.me;
}

export function currentState() {
  return session.me ? session.me.state : null;
}

// Applies the "state" of an action's answer without a round trip; the next screen
// refreshes the full record it needs.
export function applyState(state) {
  if (session.me && state) session.me.state = state;
}

export function forgetSession() {
  setToken(null);
  session.me = null;
}

// 退出登录: ends the session on the server (when it can be reached) and here.
export async function logOut() {
  try {
    await api.logout();
  } catch (e) {
    // Logging out locally is what matters; the server's session expires by itself.
  }
  forgetSession();
}

// What the candidate typed on the login screen, kept outside the screen so that a look at
// the agreements and the way back keeps the phone, the code and the tick.
export const loginDraft = reactive({ phone: '', code: '', agreed: false });
