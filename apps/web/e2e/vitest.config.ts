import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The browser e2e drives the built server and SPA in Chromium; one file at a time, with
// timeouts that leave room for a sandbox container to start on a 2-core machine.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    name: 'e2e',
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
