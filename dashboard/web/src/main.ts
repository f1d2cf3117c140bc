import { mount } from 'svelte';
import './app.css';
import 'uplot/dist/uPlot.min.css';
import App from './App.svelte';
import { initToken } from './lib/api.js';

initToken();
const app = mount(App, { target: document.getElementById('app')! });
export default app;
