/**
 * The desktop app as a user launches it: the window opens while the core is still starting (a
 * slow login shell), the page waits for it and then follows it live, through the real preload and
 * ipcMain handlers; the tray's items act on the same core and the page shows it.
 */
import type { Page } from '@playwright/test';
import { OverviewPage } from '../pages/overview.page.js';
import { expect, test } from './desktop-fixture.js';

// Defect 1 of issue 22: the window is shown before the ipcMain handlers are registered, so the
// page's first invoke fails ("No handler registered for 'orch:invoke'") and its subscribe is dropped.
// Expected to fail until that fix is merged.
test.fail('a first launch with a slow login shell shows the dashboard, then live data with no reload', async ({ desktop }) => {
  const app = desktop.launch({ slowShellSeconds: 2 });
  const page = await app.page();
  // The page was loaded before the core answered: its first calls and its subscription met a starting core.
  expect(app.reports.some((report) => report.what === 'tooltip' && String(report.text).includes('running'))).toBe(false);
  const overview = new OverviewPage(page);
  await expect(overview.card('example').getByText('Healthy')).toBeVisible();
  const loads = app.reports.filter((report) => report.what === 'loaded').length;

  // A change made after the page loaded, outside the page (the tray), arrives live.
  await app.tray('Stop');
  await expect(overview.card('example').getByText('Healthy')).toHaveCount(0);
  await expect(overview.card('example').getByRole('button', { name: /Start/ })).toBeVisible();
  expect(app.reports.filter((report) => report.what === 'loaded')).toHaveLength(loads);
});

/**
 * Leaves the overview for another page and comes back, in-app (the router, not a page load): the
 * overview asks for the mode as it opens. The other page is waited for, so the overview did close.
 */
async function reopenOverview(page: Page): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Servers' }).click();
  await expect(page).toHaveURL(/\/servers$/);
  await expect(new OverviewPage(page).modeSwitch).toHaveCount(0);
  await nav.getByRole('link', { name: 'Overview' }).click();
}

test('the tray switches the mode, and the overview shows it when it is next opened, with no reload', async ({ desktop }) => {
  const app = desktop.launch();
  const page = await app.page();
  const overview = new OverviewPage(page);
  await app.waitFor((report) => report.what === 'tooltip' && String(report.text).includes('running · proxy mode'));
  const loads = app.reports.filter((report) => report.what === 'loaded').length;

  await app.tray('Batch mode');
  await app.waitFor((report) => report.what === 'tooltip' && String(report.text).includes('batch mode'));
  await reopenOverview(page);
  await expect(overview.modeSwitch).toBeChecked();

  const switched = app.reports.length;
  await app.tray('Proxy mode');
  await app.waitFor((report) => report.what === 'tooltip' && String(report.text).includes('proxy mode'), switched);
  await reopenOverview(page);
  await expect(overview.modeSwitch).not.toBeChecked();
  expect(app.reports.filter((report) => report.what === 'loaded')).toHaveLength(loads);
});

// The dashboard does not follow a mode changed elsewhere (the tray, the CLI, another page): the
// mode store loads when the overview opens and on the page's own switch, and no live event
// reloads it (renderer/src/stores/stores.ts, dispatchEvent). Expected to fail until it does; until
// the bridge's start order is fixed (defect 1 of issue 22) it fails for that reason as well.
test.fail('the tray switches the mode, and the open overview shows it live', async ({ desktop }) => {
  const app = desktop.launch();
  const page = await app.page();
  const overview = new OverviewPage(page);
  await expect(overview.card('example').getByText('Healthy')).toBeVisible();
  await app.waitFor((report) => report.what === 'tooltip' && String(report.text).includes('running · proxy mode'));
  await expect(overview.modeSwitch).not.toBeChecked();

  await app.tray('Batch mode');
  await app.waitFor((report) => report.what === 'tooltip' && String(report.text).includes('batch mode'));
  await expect(overview.modeSwitch).toBeChecked();
});
