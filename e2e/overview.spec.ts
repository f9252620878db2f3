import { BOOTSTRAP_TOKEN, allServers } from './fixtures/daemon.js';
import { expect, test } from './fixtures/orch-fixture.js';
import { storage } from './pages/browser.js';
import { OverviewPage } from './pages/overview.page.js';

test.describe('with the reference servers', () => {
  test.use({ daemonOptions: { servers: allServers } });

  test('shows every server with its health, and the crashing one with what to do', async ({ dashboard }) => {
    await dashboard.open('/');
    const overview = new OverviewPage(dashboard.page);
    for (const name of ['example', 'everything', 'memory', 'crasher']) await expect(overview.card(name)).toBeVisible();
    await expect(overview.card('example').getByText('Healthy')).toBeVisible();
    // The state is said once, by its badge, not again as the health's reason.
    await expect(overview.card('example').getByText('running', { exact: true })).toHaveCount(1);
    await expect(overview.card('example').getByText('Tools').locator('xpath=following-sibling::dd')).toHaveText('3');
    // CPU and memory of the child arrive over the event stream (or the first load).
    await expect(overview.card('example').getByText('Memory').locator('xpath=following-sibling::dd')).toHaveText(/\d+(\.\d)? MB/);
    await expect(overview.card('crasher').getByText(/Needs a look|Not working/)).toBeVisible();
    await overview
      .card('crasher')
      .getByRole('button', { name: /View logs: crasher/ })
      .click();
    await expect(dashboard.page).toHaveURL(/\/servers\/crasher#logs$/);
    await expect(dashboard.page.getByLabel('Log of crasher')).toContainText('cannot open the database');
  });
});

test('switches the mode, and counts calls and charts them as they happen', async ({ dashboard, api }) => {
  await dashboard.open('/');
  const overview = new OverviewPage(dashboard.page);
  await expect(dashboard.page.getByText('No calls in the last hour')).toBeVisible();
  await expect(overview.total('Calls (last hour)')).toHaveText('0');

  await overview.modeSwitch.click();
  await expect(overview.modeSwitch).toBeChecked();
  await expect.poll(async () => (await api.mode.get()).mode).toBe('batch');

  await api.tools.call({ server: 'example', tool: 'add', arguments: { a: 1, b: 2 } });
  await expect(overview.total('Calls (last hour)')).toHaveText('1');
  await expect(overview.total('Success rate')).toHaveText('100.0 %');
  await expect(dashboard.page.getByRole('figure', { name: 'Calls per minute' })).toBeVisible();
  await expect(dashboard.page.getByRole('figure', { name: 'Errors per minute' })).toBeVisible();

  await overview.modeSwitch.press('Space');
  await expect(overview.modeSwitch).not.toBeChecked();
  await expect.poll(async () => (await api.mode.get()).mode).toBe('proxy');
});

test('keeps the page when a part of it fails to download, and loads it on "Try again"', async ({ dashboard }) => {
  // As when the daemon goes away while the charts (their own download) are on their way.
  let refused = 0;
  await dashboard.page.route(/\/assets\/overview-charts-[^/]+\.js$/, (route) =>
    refused++ === 0 ? route.abort('connectionreset') : route.continue(),
  );
  await dashboard.open('/');
  const overview = new OverviewPage(dashboard.page);
  const failed = dashboard.page.getByRole('alert').filter({ hasText: 'The charts could not be shown' });
  await expect(failed).toBeVisible();
  await expect(overview.card('example').getByText('Healthy')).toBeVisible();
  await failed.getByRole('button', { name: 'Try again' }).click();
  await expect(dashboard.page.getByText('No calls in the last hour')).toBeVisible();
  await expect(failed).toBeHidden();
});

test('says it is loading, not "Off · 0 configured", until the server list comes', async ({ dashboard, transport }) => {
  test.skip(transport === 'bridge', 'the bridge calls the daemon in the test process, not over HTTP: there is no answer to hold');
  let answer: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (answer = resolve));
  await dashboard.page.route(/\/api\/servers$/, async (route) => {
    await held;
    await route.continue();
  });
  await dashboard.open('/');
  const header = dashboard.page.getByRole('main').locator('header');
  await expect(header).toContainText('Loading…');
  await expect(header).not.toContainText('configured');
  answer();
  await expect(header).toContainText(/All servers:.*2 configured/);
});

test.describe('with no servers', () => {
  test.use({ daemonOptions: { servers: () => ({}) } });

  test('says so on every page that lists them', async ({ dashboard }) => {
    await dashboard.open('/');
    await expect(dashboard.page.getByText('No servers configured')).toBeVisible();
    await dashboard.open('/servers');
    await expect(dashboard.page.getByText('No servers configured')).toBeVisible();
    await dashboard.open('/tools');
    await expect(dashboard.page.getByText('No tools yet')).toBeVisible();
    await dashboard.open('/runs');
    await expect(dashboard.page.getByText('No runs yet')).toBeVisible();
    await dashboard.open('/activity');
    await expect(dashboard.page.getByText('No calls match')).toBeVisible();
    await dashboard.open('/servers/nothing-here');
    await expect(dashboard.page.getByText('No servers configured')).toBeVisible();
    await dashboard.open('/no/such/page');
    await expect(dashboard.page.getByText('No such page')).toBeVisible();
  });
});

test.describe('in a browser', () => {
  test.beforeEach(({ transport }) => test.skip(transport === 'bridge', 'the desktop window has no URL token and no daemon to lose'));

  test('takes the token out of the address bar and keeps it out of localStorage', async ({ dashboard, daemon, page }) => {
    await dashboard.open('/servers');
    await expect(page).toHaveURL(`${daemon.url}/servers`);
    const stored = await storage(page, 'mcp-orch.token');
    expect(stored.local).not.toContain(daemon.token);
    expect(stored.session).toBe(daemon.token);
    await page.reload();
    await expect(page.getByRole('table', { name: 'Servers' })).toBeVisible();
    // The history holds no URL with the token either.
    await page.goBack();
    expect(page.url()).not.toContain('access_token');
  });

  test('asks for a token when it has none, and says when one is refused', async ({ daemon, page }) => {
    await page.goto(daemon.url);
    await expect(page.getByRole('heading', { name: 'MCP Orch needs a token' })).toBeVisible();
    await page.getByLabel('Token').fill('mo_not-a-real-token');
    await page.getByLabel('Token').press('Enter');
    await expect(page.getByRole('alert').filter({ hasText: /token|key/i })).toBeVisible();
    await page.getByLabel('Token').fill(daemon.token);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await expect(page.getByTestId('server-card-example')).toBeVisible();
  });

  test('shows a banner while the daemon is away and reconnects when it is back', async ({ dashboard, daemon, api }) => {
    await dashboard.open('/', BOOTSTRAP_TOKEN);
    const overview = new OverviewPage(dashboard.page);
    await expect(overview.card('example').getByText('Healthy')).toBeVisible();
    await daemon.stop();
    const banner = dashboard.page.getByRole('alert').filter({ hasText: 'not answering' });
    await expect(banner).toBeVisible();
    await daemon.start();
    await expect(banner).toBeHidden({ timeout: 30_000 });
    // Hidden because the page is back, not because it went blank.
    await expect(overview.card('example').getByText('Healthy')).toBeVisible();
    // Live again: a call made now is counted without a reload.
    await api.tools.call({ server: 'example', tool: 'echo', arguments: { text: 'back' } });
    await expect(overview.total('Calls (last hour)')).toHaveText('1');
  });
});
