import { expect, test } from './fixtures/orch-fixture';
import { OverviewPage } from './pages/overview.page';

test('shows every server with its health, and the crashing one with what to do', async ({ dashboard }) => {
  await dashboard.open('/');
  const overview = new OverviewPage(dashboard.page);
  for (const name of ['example', 'everything', 'memory', 'crasher']) await expect(overview.card(name)).toBeVisible();
  await expect(overview.card('example').getByText('Healthy')).toBeVisible();
  await expect(overview.card('crasher').getByText(/Needs a look|Not working/)).toBeVisible();
  await overview.card('crasher').getByRole('button', { name: /View logs: crasher/ }).click();
  await expect(dashboard.page).toHaveURL(/\/servers\/crasher#logs$/);
  await expect(dashboard.page.getByLabel('Log of crasher')).toContainText('cannot open the database');
});
