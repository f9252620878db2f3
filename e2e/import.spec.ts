import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures/orch-fixture.js';
import { readConfig } from './pages/files.js';
import { ImportPage } from './pages/import.page.js';

const EXAMPLE = join(fileURLToPath(new URL('..', import.meta.url)), 'resources/example-server.mjs');

test.use({
  daemonOptions: {
    homeFiles: {
      '.config/Claude/claude_desktop_config.json': {
        mcpServers: {
          'desktop-example': { command: process.execPath, args: [EXAMPLE], env: { DESKTOP_TOKEN: 'sekrit-desktop-token' } },
          example: { command: process.execPath, args: [EXAMPLE] },
        },
      },
      '.cursor/mcp.json': {
        mcpServers: { docs: { url: 'https://docs.example.com/mcp', headers: { Authorization: 'Bearer sekrit-docs' } } },
      },
    },
  },
});

test('merges servers of a Claude Desktop file, with the name clash shown and resolved first', async ({ dashboard, page, daemon, api }) => {
  await dashboard.open('/import');
  const importing = new ImportPage(page);
  await expect(page.getByRole('region', { name: 'Claude Desktop' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Cursor' })).toContainText('docs.example.com');
  expect(await page.content()).not.toContain('sekrit');

  await importing.choose('desktop-example', 'Claude Desktop').check();
  await importing.choose('example', 'Claude Desktop').check();
  await expect(page.getByText('mcp-config.json already has a server named “example”')).toBeVisible();
  await page.getByRole('button', { name: 'Preview the merge (2)' }).click();
  await expect(page.getByText('Name clashes: example')).toBeVisible();

  await importing.nameFor('example').fill('example-from-desktop');
  await expect(page.getByText('mcp-config.json already has a server named')).toBeHidden();
  await page.getByRole('button', { name: 'Preview the merge (2)' }).click();
  await expect(importing.merge).toContainText('+    "desktop-example": {');
  await expect(importing.merge).toContainText('+    "example-from-desktop": {');
  await expect(importing.merge).toContainText('"DESKTOP_TOKEN": "••••"');
  await page.getByRole('button', { name: 'Import 2 servers' }).click();
  await expect(page.getByText('Imported desktop-example, example-from-desktop')).toBeVisible();

  const file = await readConfig(daemon.configPath);
  expect(file.mcpServers['desktop-example']).toEqual({
    command: process.execPath,
    args: [EXAMPLE],
    env: { DESKTOP_TOKEN: 'sekrit-desktop-token' },
  });
  expect(file.mcpServers['example-from-desktop']).toEqual({ command: process.execPath, args: [EXAMPLE] });
  await expect
    .poll(async () =>
      (await api.servers.list()).servers
        .filter((server) => server.state === 'running')
        .map((server) => server.name)
        .sort(),
    )
    .toEqual(['desktop-example', 'example', 'example-from-desktop']);
  // Scanned again: what is configured now is marked so.
  await expect(page.getByRole('region', { name: 'Claude Desktop' }).getByText('already in mcp-config.json')).toHaveCount(2);
});
