// The office console: Vue 3 + Element Plus (Chinese locale), one address per page
// (router.js); the labels of every code come from the server's catalogue (labels.js).
import { createApp } from 'vue';
import ElementPlus from 'element-plus';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import 'element-plus/dist/index.css';
import App from './App.vue';
import { router } from './router.js';
import { loadLabels } from './labels.js';
import './styles.css';

loadLabels().catch(() => {});
createApp(App).use(ElementPlus, { locale: zhCn }).use(router).mount('#app');
