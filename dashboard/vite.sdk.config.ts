// The JS SDK: one self-contained script (IIFE) served at /sdk.js; its CSS is inlined as a string for
// the widgets' shadow roots. A test keeps it under 10 KB gzipped.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'dashboard',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: '../dist/dashboard',
    emptyOutDir: false,
    target: 'es2020',
    sourcemap: false,
    minify: true,
    lib: { entry: 'src/sdk/sdk.ts', name: 'SellerPulseSdk', formats: ['iife'], fileName: () => 'sdk.js' },
  },
});
