import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'main/**/*.test.ts', 'preload/**/*.test.ts', 'bench/**/*.test.ts', 'eval/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests spawn real servers; two cores, so keep parallelism modest.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
