/**
 * The dashboard in a real browser against a real daemon (see e2e/). Every test runs twice: as a
 * browser page over REST and /api/events (`fetch`), and as the desktop window would, through a
 * `window.orch` bridge the test injects (`bridge`). The `desktop` project runs the desktop app
 * itself (e2e/desktop/): the real main process, preload and window, with an emulated Electron. Debian's Chromium when it is there (CI
 * installs it), else Playwright's own.
 */
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/chromium.mjs';
import type { OrchOptions } from './e2e/fixtures/orch-fixture.js';

export default defineConfig<OrchOptions>({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions(),
    viewport: { width: 1440, height: 900 },
    actionTimeout: 15_000,
    trace: 'off',
  },
  projects: [
    { name: 'fetch', use: { transport: 'fetch' }, testIgnore: 'desktop/**' },
    { name: 'bridge', use: { transport: 'bridge' }, testIgnore: 'desktop/**' },
    // The real main.ts, preload bundle and app:// handler with an emulated Electron (docs/desktop.md).
    { name: 'desktop', testMatch: 'desktop/**/*.spec.ts' },
  ],
});
