/**
 * One app per user: a second launch (same user-data folder) hands over to the first, which shows
 * and focuses its window, and exits itself. The lock and the hand-over are real across processes
 * (a lock file and a socket in the user-data folder, see the emulated app).
 */
import { expect, test } from './desktop-fixture.js';

test('a second instance focuses the first one and exits', async ({ desktop }) => {
  const first = desktop.launch();
  await first.page();
  await first.waitFor((report) => report.what === 'tooltip' && String(report.text).includes('1 running'));
  // The window is closed to the tray: hidden, the app still runs.
  first.command('close');
  expect(await first.waitFor((report) => report.what === 'close')).toMatchObject({ prevented: true });
  await first.waitFor((report) => report.what === 'hide');
  const from = first.reports.length;

  const second = desktop.launch();
  expect(await second.exited).toBe(0);
  expect(second.reports.find((report) => report.what === 'singleInstanceLock')).toMatchObject({ held: false });
  expect(second.reports.some((report) => report.what === 'window' || report.what === 'ready')).toBe(false);

  expect(await first.waitFor((report) => report.what === 'secondInstance', from)).toMatchObject({
    argv: expect.arrayContaining([`--test-dir=${desktop.dir}`]),
  });
  await first.waitFor((report) => report.what === 'show', from);
  await first.waitFor((report) => report.what === 'focus', from);
  // The first instance's page is the same page, still live.
  const page = await first.page();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  expect(first.child.exitCode).toBeNull();
});
