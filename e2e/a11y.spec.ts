import { seriousViolations } from './fixtures/axe.js';
import { expect, test } from './fixtures/orch-fixture.js';

const PAGES = [
  ['/', 'Calls per minute'],
  ['/servers/example', 'Command line'],
  ['/tools/example/add', 'Try it'],
  ['/runs', 'Graph of the plan'],
  ['/activity', 'tools/call'],
  ['/config?server=example', 'mcp-config.json'],
  ['/import', 'Import'],
  ['/clients', 'Claude Code'],
  ['/settings', 'API keys'],
] as const;

for (const scheme of ['light', 'dark'] as const) {
  test(`every page has no serious or critical accessibility violation, ${scheme}`, async ({ dashboard, page, api, transport }) => {
    test.skip(transport === 'bridge', 'the same pages: checked once');
    test.setTimeout(240_000);
    await api.tools.call({ server: 'example', tool: 'add', arguments: { a: 1, b: 2 } });
    await page.emulateMedia({ colorScheme: scheme });
    for (const [path, ready] of PAGES) {
      await dashboard.open(path);
      await expect(page.getByText(ready).first()).toBeVisible();
      const serious = await seriousViolations(page);
      expect(serious, `${path} (${scheme})`).toEqual([]);
    }
  });
}

test('moves through the app with the keyboard alone', async ({ dashboard, page }) => {
  await dashboard.open('/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main')).toBeFocused();

  await page.getByRole('link', { name: 'Overview' }).focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Tools' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/tools$/);
  await expect(page.getByRole('heading', { name: 'Tools', level: 1 })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search tools' }).focus();
  await page.keyboard.type('add');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('listbox', { name: 'Tools' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/tools\/example\/add$/);
});
