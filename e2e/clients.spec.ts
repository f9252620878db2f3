import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './fixtures/orch-fixture.js';
import { ClientsPage } from './pages/clients.page.js';
import { readConfig } from './pages/files.js';
import { clipboardText } from './pages/browser.js';

const CLINE = '.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json';
const ORIGINAL = `{
  // Cline's own file: comments and other servers must survive.
  "mcpServers": { "local-files": { "command": "npx", "args": ["-y", "some-server"], "disabled": false } }
}
`;

test.use({ daemonOptions: { homeFiles: { [CLINE]: ORIGINAL } } });

test('connects Cline in one click: shows the change with the key masked, writes it with a backup, and undoes it', async ({
  dashboard,
  page,
  daemon,
  api,
}) => {
  const path = join(daemon.home, CLINE);
  await dashboard.open('/clients');
  const clients = new ClientsPage(page);
  const cline = clients.card('cline');
  await expect(cline).toContainText('not connected');
  await expect(cline).toContainText(path);

  await cline.getByRole('button', { name: 'Show the change' }).click();
  await expect(clients.diff('Cline')).toContainText('+    "mcp-orch": {');
  await expect(clients.diff('Cline')).toContainText('Bearer mo_••••');
  expect((await api.tokens.list()).tokens.map((key) => key.name)).not.toContain('cline');

  await cline.getByRole('button', { name: 'Connect Cline' }).click();
  await expect(cline).toContainText('connected: mcp-orch');
  await expect(cline).toContainText(`the file as it was is in ${path}.mcp-orch-backup`);
  await expect(clients.diff('Cline')).not.toContainText(/mo_[A-Za-z0-9_-]{20}/);
  const written = await readFile(path, 'utf8');
  expect(written).toContain("// Cline's own file");
  expect(written).toContain('"local-files"');
  const secret = /"Authorization": "Bearer (mo_[A-Za-z0-9_-]+)"/.exec(written)?.[1];
  expect(secret).toBeDefined();
  expect(await readFile(`${path}.mcp-orch-backup`, 'utf8')).toBe(ORIGINAL);
  expect((await api.tokens.list()).tokens.find((key) => key.name === 'cline')?.role).toBe('operator');
  // The key written into Cline's file works.
  const response = await fetch(`${daemon.url}/api/servers`, { headers: { authorization: `Bearer ${secret}` } });
  expect(response.status).toBe(200);

  await cline.getByRole('button', { name: 'Undo' }).click();
  await expect(cline).toContainText('not connected');
  expect(await readFile(path, 'utf8')).toBe(ORIGINAL);
  await expect(access(`${path}.mcp-orch-backup`)).rejects.toThrow();
  expect((await api.tokens.list()).tokens.map((key) => key.name)).not.toContain('cline');
  expect((await fetch(`${daemon.url}/api/servers`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401);
});

test('creates a missing config file, and offers the snippet to copy', async ({ dashboard, page, daemon }) => {
  await dashboard.open('/clients');
  const clients = new ClientsPage(page);
  const cursor = clients.card('cursor');
  await expect(cursor).toContainText('no config file yet');
  await cursor.getByLabel('Connect').selectOption('servers');
  await cursor.getByRole('button', { name: 'Connect Cursor' }).click();
  await expect(cursor).toContainText('connected: example, crasher');
  expect((await readConfig(join(daemon.home, '.cursor/mcp.json'))).mcpServers.example?.url).toBe(`${daemon.url}/mcp/example`);

  const vscode = clients.card('vscode');
  await vscode.getByText('Or copy the configuration and paste it yourself').click();
  await vscode.getByRole('button', { name: /^Copy:/ }).click();
  await expect.poll(() => clipboardText(page)).toContain('"servers"');
});
