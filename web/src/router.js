// Screens and the guard that keeps the candidate on the step the server says they are on.
// Hash history: the C++ server only has to serve index.html, and WeChat's browser keeps the
// step across a reload.
import { createRouter, createWebHashHistory } from 'vue-router';
import { FLOW_ROUTES, homeRouteFor, isAllowed } from './lib/flow.js';
import { currentState, isLoggedIn, refreshMe, session } from './lib/session.js';
import { onUnauthorized } from './lib/api.js';
import { toast } from './lib/feedback.js';

const routes = [
  { path: '/', name: 'home', component: () => import('./views/HomeView.vue') },
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue') },
  { path: '/agreement/:kind(user|privacy)', name: 'agreement', component: () => import('./views/AgreementView.vue') },
  { path: '/help', name: 'help', component: () => import('./views/HelpView.vue') },
  { path: '/retry', name: 'retry', component: () => import('./views/RetryView.vue') },
  { path: '/id-card', name: 'idCard', component: () => import('./views/IdCardView.vue') },
  { path: '/confirm', name: 'confirm', component: () => import('./views/ConfirmView.vue') },
  { path: '/photo/guide', name: 'photoGuide', component: () => import('./views/PhotoGuideView.vue') },
  { path: '/photo/upload', name: 'photoUpload', component: () => import('./views/PhotoUploadView.vue') },
  { path: '/photo/result', name: 'photoResult', component: () => import('./views/PhotoResultView.vue') },
  { path: '/consent', name: 'consent', component: () => import('./views/ConsentView.vue') },
  { path: '/waiting', name: 'waiting', component: () => import('./views/WaitingView.vue') },
  { path: '/result', name: 'result', component: () => import('./views/ResultView.vue') },
  { path: '/:unknown(.*)*', redirect: '/' },
];

export const router = createRouter({
  history: createWebHashHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach(async (to) => {
  if (to.name === 'login' && isLoggedIn()) return { name: 'home' };
  if (FLOW_ROUTES.indexOf(to.name) < 0) return true;
  if (!isLoggedIn()) return { name: 'login' };
  if (!session.me) {
    try {
      await refreshMe();
    } catch (error) {
      if (error.status === 401) return { name: 'login' };
      // Offline or the server is down: a screen with the reason and 重试, never a blank page.
      session.lastError = error;
      return { name: 'retry', query: { to: to.fullPath } };
    }
  }
  const state = currentState();
  if (!isAllowed(state, to.name)) return { name: homeRouteFor(state), replace: true };
  return true;
});

// A lazy screen that fails to download (a lost connection between two steps) also ends on
// the retry screen instead of leaving the old one frozen.
router.onError((error, to) => {
  session.lastError = { message: '页面加载失败，网络连接可能已断开。', hint: '请检查网络后点击“重试”。' };
  router.replace({ name: 'retry', query: { to: to ? to.fullPath : '/' } });
});

// An expired session sends a candidate on a collection screen to the login; on the public
// pages (home, help, agreements) it only forgets the token.
onUnauthorized(() => {
  session.me = null;
  if (FLOW_ROUTES.indexOf(router.currentRoute.value.name) >= 0) {
    toast('登录已过期，请重新登录。');
    router.replace({ name: 'login' });
  }
});

// Sends the candidate to the screen of their current state (after a login, or from home).
export async function goToCurrentStep(replace = true) {
  await refreshMe();
  const target = { name: homeRouteFor(currentState()) };
  return replace ? router.replace(target) : router.push(target);
}
