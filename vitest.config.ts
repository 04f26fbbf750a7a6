import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure logic beside the code; `integration` drives the real Nest app,
// the real Docker engine and real databases, one file at a time on this 2-core machine.
export default defineConfig({
  test: {
    projects: [
      {
        // SWC emits the decorator metadata Nest's dependency injection reads.
        plugins: [swc.vite({ module: { type: 'es6' } })],
        test: {
          name: 'unit',
          include: [
            'apps/*/src/**/*.spec.ts',
            'apps/sandbox/agent/src/**/*.spec.ts',
            'packages/*/src/**/*.spec.ts',
          ],
          environment: 'node',
        },
      },
      {
        plugins: [swc.vite({ module: { type: 'es6' } })],
        test: {
          name: 'integration',
          include: ['apps/server/test/**/*.int-spec.ts', 'apps/sandbox/test/**/*.int-spec.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 300_000,
          globalSetup: ['apps/server/test/global-setup.ts'],
        },
      },
    ],
  },
});
