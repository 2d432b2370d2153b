// Every page of the console has its own address under /office/ (history mode: the server
// answers any extension-less path there with index.html), so a reload, a bookmark or a link
// pasted into another tab opens the same page. Pages that need a session send to the login
// and come back; a tab opened from another borrows its session first (api.js).
import { createRouter, createWebHistory } from 'vue-router';
import { api, borrowToken, setToken, token } from './api.js';
import { session } from './session.js';
import LoginView from './views/LoginView.vue';
import SearchView from './views/SearchView.vue';
import DashboardView from './views/DashboardView.vue';
import ImportView from './views/ImportView.vue';
import ExportView from './views/ExportView.vue';
import PosterView from './views/PosterView.vue';
import AuditView from './views/AuditView.vue';

export const PAGES = [
  { name: 'search', path: '/search', label: '考生查询', role: 'viewer', component: SearchView },
  { name: 'dashboard', path: '/dashboard', label: '采集进度', role: 'viewer', component: DashboardView },
  { name: 'import', path: '/import', label: '导入名单', role: 'operator', component: ImportView },
  { name: 'export', path: '/export', label: '导出照片与报表', role: 'operator', component: ExportView },
  { name: 'poster', path: '/poster', label: '二维码海报', role: 'viewer', component: PosterView },
  { name: 'audit', path: '/audit', label: '审计日志', role: 'admin', component: AuditView },
];
const RANK = { viewer: 0, operator: 1, admin: 2 };
export const allowed = (page, me) => !!me && RANK[me.role] >= RANK[page.role];

export const router = createRouter({
  history: createWebHistory('/office/'),
  routes: [
    { path: '/', redirect: '/search' },
    { name: 'login', path: '/login', component: LoginView, meta: { title: '登录' } },
    ...PAGES.map((page) => ({ name: page.name, path: page.path, component: page.component, meta: { title: page.label, role: page.role } })),
    { name: 'candidate', path: '/candidates/:id(\\d+)', component: SearchView, props: (route) => ({ openId: Number(route.params.id) }), meta: { title: '考生详情', role: 'viewer' } },
    { path: '/:unknown(.*)*', redirect: '/search' },
  ],
});

router.beforeEach(async (to) => {
  if (to.name === 'login') return true;
  if (!session.me) {
    if (!token()) await borrowToken();
    if (!token()) return { name: 'login', query: { next: to.fullPath } };
    try {
      session.me = await api.me();
    } catch (e) {
      setToken('');
      return { name: 'login', query: { next: to.fullPath } };
    }
  }
  if (to.meta.role && !allowed({ role: to.meta.role }, session.me)) return { name: 'search' };
  return true;
});

router.afterEach((to) => {
  document.title = `${to.meta.title || ''} · 自考办管理后台`;
});
