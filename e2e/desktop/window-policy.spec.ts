/**
 * The window policy as the page meets it: a renderer that tries to leave the app stays where it
 * is (its `will-navigate` is consulted and prevents it), and one that opens a window gets none (the
 * window-open handler denies it, the popup is closed before it loads); both web links go to the
 * system browser instead (`shell.openExternal`, reported by the emulated shell).
 */
import { STAND_IN_ORIGIN, expect, test } from './desktop-fixture.js';

/** What the page's scripts see, as far as this test uses it. */
interface PageGlobals {
  location: { href: string };
  open(url: string): unknown;
  orch: { invoke(id: string, input: unknown): Promise<{ ok: boolean }> };
}

test('a page that navigates away stays put, and one that opens a window gets none', async ({ desktop }) => {
  const app = desktop.launch();
  const page = await app.page();
  // The window opens on the overview (the app's root route), not on "No such page".
  await expect(page.getByRole('heading', { name: 'Servers', level: 2 })).toBeVisible();
  const context = page.context();

  await page.evaluate(() => {
    (globalThis as unknown as PageGlobals).location.href = 'https://evil.example/';
  });
  expect(await app.waitFor((report) => report.what === 'openExternal')).toMatchObject({ url: 'https://evil.example/' });
  await app.waitFor((report) => report.what === 'navigationPrevented');
  expect(page.url().startsWith(STAND_IN_ORIGIN)).toBe(true);
  // Still the app, still answering through the bridge.
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  const answer = await page.evaluate(() => (globalThis as unknown as PageGlobals).orch.invoke('mode.get', {}));
  expect(answer.ok).toBe(true);

  const from = app.reports.length;
  await page.evaluate(() => void (globalThis as unknown as PageGlobals).open('https://example.com/docs'));
  expect(await app.waitFor((report) => report.what === 'openExternal', from)).toMatchObject({ url: 'https://example.com/docs' });
  expect(await app.waitFor((report) => report.what === 'windowOpen', from)).toMatchObject({
    url: 'https://example.com/docs',
    action: 'deny',
  });
  await app.waitFor((report) => report.what === 'popupClosed', from);
  await expect.poll(() => context.pages().length).toBe(1);
  expect(page.url().startsWith(STAND_IN_ORIGIN)).toBe(true);
});
