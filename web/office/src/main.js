// The office console: Vue 3 + Element Plus (Chinese locale), one page per area, switched by
// the sidebar; the staff token lives in sessionStorage (closing the browser logs out).
import { createApp } from 'vue';
import ElementPlus from 'element-plus';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import 'element-plus/dist/index.css';
import App from './App.vue';
import './styles.css';

createApp(App).use(ElementPlus, { locale: zhCn }).mount('#app');
