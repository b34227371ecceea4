/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Unit tests format dates in the browser's local zone; pin it so results are
// the same on every machine (the offices are all in China).
process.env.TZ = 'Asia/Shanghai';

// Where `vite` / `vite preview` forward /api (the ASP.NET Core dev server).
const apiTarget = process.env.DUBAN_API_URL ?? 'http://127.0.0.1:5080';

const serverWwwroot = fileURLToPath(new URL('../src/Duban.Server/wwwroot', import.meta.url));

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    // The ASP.NET Core server serves these files from the same origin,
    // with SPA fallback to index.html.
    outDir: serverWwwroot,
    emptyOutDir: true,
    // .vite/manifest.json: which chunks each route loads (scripts/route-size.mjs reports the inbox's, decision 040).
    manifest: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // React + router change rarely: keep them in their own long-cached chunk.
            // (antd is NOT grouped, so Table/Select etc. stay in the route chunks that use them.)
            {
              name: 'react-vendor',
              test: /[\\/]node_modules[\\/](react|react-dom|react-router|scheduler|cookie|set-cookie-parser)[\\/]/,
            },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': {
        target: apiTarget,
        changeOrigin: false,
      },
    },
  },
  preview: {
    proxy: {
      '/api': {
        target: apiTarget,
        changeOrigin: false,
      },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./src/test/setup.ts'],
    css: false,
    // The files of a worker share one jsdom window and the libraries of node_modules instead of loading antd, React and
    // jsdom again per file (most of the suite's processor time went there). src/test/setup.ts loads the application's
    // own modules afresh for each file and puts the window back as a fresh one has it (docs/decisions/038).
    isolate: false,
    // A guard against hangs, not a speed check: test.sh runs the browser tests and the server tests beside these on the
    // same two cores, where a test that takes 3 s alone took over 60 s (CI, load average 15).
    testTimeout: 180000,
    restoreMocks: true,
    env: { TZ: 'Asia/Shanghai' },
  },
});
