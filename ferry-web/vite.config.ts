/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The bundle goes where the jar takes it from: the server serves classpath:/static/ at "/".
// `npm run dev` serves the UI with hot reload and forwards the API and the WebSocket to a
// `ferry server` on 127.0.0.1:8080, or at FERRY_SERVER (e.g. http://127.0.0.1:9000).
const server = process.env.FERRY_SERVER ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  base: './',
  build: {
    outDir: 'target/classes/static',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
  },
  server: {
    proxy: {
      '/api': server,
      '/ws': { target: server.replace(/^http/, 'ws'), ws: true },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
    css: false,
    // Ant Design renders slowly in jsdom on a small machine; a loaded CI machine took 45 s for the
    // longest form test.
    testTimeout: 120_000,
    // Vitest runs one file at a time on a 2-core machine (CPUs - 1); the files are independent
    // and CPU-bound, so one a core halves the run while the build waits for it.
    maxWorkers: 2,
  },
});
