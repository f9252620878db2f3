import { allServers } from './fixtures/daemon.js';
import { expect, test } from './fixtures/orch-fixture.js';
import { readConfig } from './pages/files.js';
import { ServersPage } from './pages/servers.page.js';
import { clipboardText } from './pages/browser.js';

test('shows the command line with secrets masked, the endpoints to copy, a client snippet and the tools', async ({
  dashboard,
  daemon,
  page,
}) => {
  await dashboard.open('/servers');
  const servers = new ServersPage(page);
  await servers.row('example').getByRole('link', { name: 'example' }).click();
  await expect(page).toHaveURL(/\/servers\/example$/);
  await expect(page.getByText('example-server.mjs').first()).toBeVisible();
  await expect(page.getByText('EXAMPLE_API_KEY=••••')).toBeVisible();
  expect(await page.content()).not.toContain('sekrit-example-value');

  await page.getByRole('button', { name: /^Copy URL: .*\/mcp\/example$/ }).click();
  await expect.poll(() => clipboardText(page)).toBe(`${daemon.url}/mcp/example`);

  await page.getByLabel('Client', { exact: true }).selectOption('vscode');
  await expect(page.getByText('"servers": {')).toBeVisible();
  for (const tool of ['add', 'echo', 'now']) await expect(page.getByRole('link', { name: tool, exact: true })).toBeVisible();
  await page.getByRole('link', { name: 'add', exact: true }).click();
  await expect(page).toHaveURL(/\/tools\/example\/add$/);
});

test('stops, starts, restarts, disables and enables a server, with the controls held while it changes', async ({
  dashboard,
  daemon,
  page,
}) => {
  await dashboard.open('/servers/example');
  const servers = new ServersPage(page);
  await expect(servers.detailState('example')).toHaveText('running');
  await expect(servers.control('Start', 'example')).toBeDisabled();

  await servers.control('Stop', 'example').click();
  await expect(servers.detailState('example')).toHaveText('stopped');
  await expect(servers.control('Stop', 'example')).toBeDisabled();
  await servers.control('Start', 'example').click();
  await expect(servers.detailState('example')).toHaveText('running');

  await servers.control('Restart', 'example').click();
  // While the restart runs every control waits; then the server is back.
  await expect(servers.control('Stop', 'example')).toBeDisabled();
  await expect(servers.detailState('example')).toHaveText('running');
  await expect(servers.control('Stop', 'example')).toBeEnabled();

  await servers.control('Disable', 'example').click();
  await expect(servers.detailState('example')).toHaveText('disabled');
  expect(await readConfig(daemon.configPath)).toMatchObject({ mcpServers: { example: { disabled: true } } });
  await expect(servers.control('Restart', 'example')).toBeDisabled();
  await servers.control('Enable', 'example').click();
  await expect(servers.detailState('example')).toHaveText('running');
  expect((await readConfig(daemon.configPath)).mcpServers.example?.disabled).toBeUndefined();
});

test.describe('with the reference servers', () => {
  test.use({ daemonOptions: { servers: allServers } });

  test('tails the log live, with search, pause and clear', async ({ dashboard, page, api }) => {
    await dashboard.open('/servers/everything');
    const servers = new ServersPage(page);
    const log = servers.log('everything');
    await expect(log).toContainText('Starting default (STDIO) server');
    const lines = page.getByRole('status').filter({ hasText: /lines ·/ });
    const count = async () => Number(/of (\d+) lines/.exec((await lines.textContent()) ?? '')?.[1]);
    await expect(lines).toHaveText(/^(\d+) of \1 lines · live$/);
    const before = await count();

    await page.getByRole('button', { name: 'Pause' }).click();
    await api.servers.restart({ name: 'everything' });
    await expect(lines).toHaveText(`${before} of ${before} lines · paused`);
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(count).toBeGreaterThan(before);
    await expect(lines).toHaveText(/· live$/);

    await page.getByLabel('Search the log').fill('no such words');
    await expect(lines).toHaveText(/^0 of \d+ lines/);
    await page.getByLabel('Search the log').fill('stdio');
    await expect(lines).toHaveText(/^[1-9]\d* of \d+ lines/);

    await page.getByRole('button', { name: 'Clear' }).click();
    await expect(log).toContainText('No log lines.');
  });
});
