// The dashboard, the embed page and the SDK's bridge page: three HTML entries, content-hashed assets,
// built into dist/dashboard/ (served from memory by api/http/static-route.ts). Paths are relative to
// the repository root, where npm runs the build.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'dashboard',
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: '../dist/dashboard',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: { index: 'dashboard/index.html', embed: 'dashboard/embed.html', bridge: 'dashboard/bridge.html' },
    },
  },
});
