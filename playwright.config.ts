/**
 * The dashboard in a real browser against a real daemon (see e2e/). Every test runs twice: as a
 * browser page over REST and /api/events (`fetch`), and as the desktop window would, through a
 * `window.orch` bridge the test injects (`bridge`). Debian's Chromium when it is there (CI
 * installs it), else Playwright's own.
 */
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import type { OrchOptions } from './e2e/fixtures/orch-fixture.js';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export const launchOptions = {
  ...(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {}),
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
};

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
    launchOptions,
    viewport: { width: 1440, height: 900 },
    actionTimeout: 15_000,
    trace: 'off',
  },
  projects: [
    { name: 'fetch', use: { transport: 'fetch' } },
    { name: 'bridge', use: { transport: 'bridge' } },
  ],
});
