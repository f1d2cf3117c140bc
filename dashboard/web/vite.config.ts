// Vite project of the dashboard front end (Svelte 5). Built from the repo root with
// `npm run build:web` (= `vite build dashboard/web`); output in dashboard/web/dist,
// served by dashboard/server/web-route.ts. `vite dashboard/web` proxies /api to a
// running `npm start` (SQA_API, default http://localhost:8080) for development.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const here = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.SQA_API ?? 'http://localhost:8080';

export default defineConfig({
  root: here,
  base: '/',
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 800,
  },
  server: {
    fs: { allow: [fileURLToPath(new URL('../..', import.meta.url))] },
    proxy: { '/api': { target: api, ws: true } },
  },
});
