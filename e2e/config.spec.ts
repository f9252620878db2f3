import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures/orch-fixture.js';
import { readConfig } from './pages/files.js';
import { ConfigPage } from './pages/config.page.js';

const EXAMPLE = join(fileURLToPath(new URL('..', import.meta.url)), 'resources/example-server.mjs');

test('round-trips a form edit into the file and the running server', async ({ dashboard, page, daemon, api }) => {
  await dashboard.open('/config?server=example');
  const config = new ConfigPage(page);
  await expect(config.input('example', 'timeout')).toHaveValue('30');
  await config.input('example', 'timeout').fill('45');
  await config.button('Review changes').click();
  await expect(config.diff).toContainText('-      "timeout": 30');
  await expect(config.diff).toContainText('+      "timeout": 45');
  await config.button('Apply').click();
  await expect(page.getByText(/Saved and applied/)).toBeVisible();
  expect((await readConfig(daemon.configPath)).mcpServers.example?.timeout).toBe(45);
  await expect.poll(async () => (await api.servers.status({ name: 'example' })).config.timeoutMs).toBe(45_000);
  await expect(config.button('Review changes')).toBeDisabled();
});

test('adds a server in the form that then runs', async ({ dashboard, page, daemon, api }) => {
  await dashboard.open('/config');
  const config = new ConfigPage(page);
  await page.getByLabel('New server name').fill('second');
  await config.button('Add server').click();
  await config.input('second', 'command').fill(process.execPath);
  await page.getByRole('button', { name: 'Add argument' }).click();
  await page.getByLabel('argument 1', { exact: true }).fill(EXAMPLE);
  await config.button('Review changes').click();
  await expect(config.diff).toContainText('+    "second": {');
  await config.button('Apply').click();
  await expect(page.getByText(/Saved and applied: added second/)).toBeVisible();
  await expect.poll(async () => (await api.servers.list()).servers.find((server) => server.name === 'second')?.state).toBe('running');
  expect((await readConfig(daemon.configPath)).mcpServers.second).toEqual({ command: process.execPath, args: [EXAMPLE] });
});

test('lights up the field an error names, and keeps the file as it was', async ({ dashboard, page, daemon }) => {
  const before = await readFile(daemon.configPath, 'utf8');
  await dashboard.open('/config?server=example');
  const config = new ConfigPage(page);
  await config.input('example', 'command').fill('');
  await config.button('Review changes').click();
  await expect(config.problems).toContainText('mcpServers.example.command');
  await expect(config.field('mcpServers.example.command')).toHaveClass(/field-error/);
  await expect(config.field('mcpServers.example.command').getByRole('alert')).toContainText('needs "command"');
  await expect(config.diff).toBeHidden();
  expect(await readFile(daemon.configPath, 'utf8')).toBe(before);
  await config.button('Discard changes').click();
  await expect(config.input('example', 'command')).toHaveValue(process.execPath);
});

test('edits the raw JSON, checked against the schema, and the form follows', async ({ dashboard, page, daemon }) => {
  await dashboard.open('/config?server=example');
  const config = new ConfigPage(page);
  const file = await readConfig(daemon.configPath);
  const example = file.mcpServers.example ?? {};
  example.timeout = 'soon';
  await config.setRaw(JSON.stringify(file, null, 2));
  await expect(page.getByTestId('json-editor').locator('.cm-lintRange-error').first()).toBeVisible();
  example.timeout = 12;
  example.sessionMode = 'per-session';
  await config.setRaw(JSON.stringify(file, null, 2));
  await expect(config.input('example', 'timeout')).toHaveValue('12');
  await expect(config.input('example', 'sessionMode')).toHaveValue('per-session');
  await config.button('Review changes').click();
  await config.button('Apply').click();
  await expect(page.getByText(/Saved and applied/)).toBeVisible();
  expect((await readConfig(daemon.configPath)).mcpServers.example).toMatchObject({ timeout: 12, sessionMode: 'per-session' });
});
