import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const shared = fileURLToPath(new URL('./shared', import.meta.url));

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests spawn real servers; two cores, so keep parallelism modest.
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['shared/**/*.test.ts', 'main/**/*.test.ts', 'preload/**/*.test.ts', 'bench/**/*.test.ts', 'eval/**/*.test.ts'],
        },
      },
      {
        // The renderer's stores, against a real daemon: plain Node, no DOM needed.
        extends: true,
        resolve: { alias: { '@shared': shared } },
        test: { name: 'renderer', include: ['renderer/**/*.test.ts'], environment: 'node' },
      },
      {
        // Components in a DOM (jsdom), with Testing Library.
        extends: true,
        resolve: { alias: { '@shared': shared } },
        test: { name: 'renderer-dom', include: ['renderer/**/*.test.tsx'], environment: 'jsdom' },
      },
    ],
  },
});
