/**
 * The desktop app as a user launches it: the window opens while the core is still starting (a
 * slow login shell), the page waits for it and then follows it live, through the real preload and
 * ipcMain handlers; the tray's items act on the same core and the page shows it.
 */
import type { Page } from '@playwright/test';
import { OverviewPage } from '../pages/overview.page.js';
import { expect, test } from './desktop-fixture.js';

// Defect 1 of issue 22 failed this (the window showed before the ipcMain handlers existed: the
// page's first invoke got "No handler registered for 'orch:invoke'", its subscribe was dropped).
test('a first launch with a slow login shell shows the dashboard, then live data with no reload', async ({ desktop }) => {
  const app = desktop.launch({ slowShellSeconds: 4 });
  const page = await app.page();
  // The page is up while the core still starts (the login shell is being read), and says so.
  await expect(page.getByRole('status').filter({ hasText: 'MCP Orch is starting' })).toBeVisible();
  const overview = new OverviewPage(page);
  await expect(overview.card('example').getByText('Healthy')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'MCP Orch is starting' })).toHaveCount(0);
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

// The mode changed elsewhere reaches the open page as a live event (mode.changed).
test('the tray switches the mode, and the open overview shows it live', async ({ desktop }) => {
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
