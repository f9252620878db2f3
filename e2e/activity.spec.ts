import { expect, test } from './fixtures/orch-fixture.js';

test('pages through the call log, filters it, and shows new calls as they come', async ({ dashboard, page, api }) => {
  for (let i = 0; i < 52; i++) await api.tools.call({ server: 'example', tool: 'add', arguments: { a: i, b: 1 } });
  await api.tools.call({ server: 'example', tool: 'echo', arguments: { text: 'last' } });
  await dashboard.open('/activity');
  const calls = page.getByRole('table', { name: 'Calls' });
  const rows = calls.locator('tbody tr');
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText('tools/call · echo');
  const pages = page.getByRole('navigation', { name: 'Calls pages' });
  await pages.getByRole('button', { name: 'Older →' }).click();
  await expect(pages).toContainText('Page 2');
  await expect(rows).toHaveCount(3);
  await pages.getByRole('button', { name: '← Newer' }).click();
  await expect(rows).toHaveCount(50);

  await page.getByLabel('Tool', { exact: true }).fill('echo');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(rows).toHaveCount(1);
  await page.getByLabel('Outcome', { exact: true }).selectOption('false');
  await page.getByLabel('Time', { exact: true }).selectOption({ label: 'Last 15 minutes' });
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page.getByText('No calls match')).toBeVisible();

  await page.getByLabel('Tool', { exact: true }).fill('');
  await page.getByLabel('Outcome', { exact: true }).selectOption('');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(rows).toHaveCount(50);
  await api.tools.call({ server: 'example', tool: 'now', arguments: {} });
  await page.getByRole('button', { name: '1 new call: show' }).click();
  await expect(rows.first()).toContainText('tools/call · now');
});

test('shows the audit log with who did what, filtered by action and outcome', async ({ dashboard, page, api }) => {
  await api.servers.restart({ name: 'example' });
  await api.tools.call({ server: 'example', tool: 'echo', arguments: { text: 'audited' } });
  await dashboard.open('/activity');
  await page.getByRole('tab', { name: 'Audit' }).click();
  const audit = page.getByRole('table', { name: 'Audit log' });
  await expect(audit.getByRole('row').filter({ hasText: 'servers.restart' })).toHaveCount(1);
  await page.getByLabel('Action', { exact: true }).fill('tools.*');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(audit.getByRole('row').filter({ hasText: 'servers.restart' })).toHaveCount(0);
  await expect(audit.getByRole('row').filter({ hasText: 'tools.call' }).first()).toContainText('(bootstrap)');
  await page.getByLabel('Outcome', { exact: true }).selectOption('denied');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page.getByText('No audit entries match')).toBeVisible();
});
