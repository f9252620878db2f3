/** `npm run screenshots`: every page of the dashboard, light and dark, into docs/screenshots/ (not part of `npm test`). */
import { defineConfig } from '@playwright/test';
import base from '../playwright.config.js';
import type { OrchOptions } from './fixtures/orch-fixture.js';

export default defineConfig<OrchOptions>({
  ...base,
  testDir: '.',
  testMatch: 'screenshots.take.ts',
  timeout: 180_000,
  workers: 1,
  projects: [{ name: 'screenshots', use: { transport: 'fetch' } }],
});
