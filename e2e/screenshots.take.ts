/**
 * Takes the README's screenshots: a daemon with the standard servers, some calls, a finished run
 * and a client config to import, then every page in light and dark at 1440×900.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allServers } from './fixtures/daemon.js';
import { expect, test } from './fixtures/orch-fixture.js';

const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));

const PAGES = [
  { name: 'overview', path: '/', ready: 'Calls per minute' },
  { name: 'servers', path: '/servers/example', ready: 'Command line' },
  { name: 'tools', path: '/tools/example/add', ready: 'Try it' },
  { name: 'runs', path: '/runs', ready: 'History' },
  { name: 'activity', path: '/activity', ready: 'tools/call' },
  { name: 'config', path: '/config?server=example', ready: 'mcp-config.json' },
  { name: 'import', path: '/import', ready: 'Claude Desktop' },
  { name: 'clients', path: '/clients', ready: 'Claude Code' },
  { name: 'settings', path: '/settings', ready: 'API keys' },
];

test.use({
  daemonOptions: {
    servers: allServers,
    homeFiles: {
      '.config/Claude/claude_desktop_config.json': {
        mcpServers: {
          github: {
            command: 'npx',
            args: ['-y', '@modelcontextprotocol/server-github'],
            env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_secret' },
          },
          example: { command: 'node', args: ['example-server.mjs'] },
        },
      },
    },
  },
});

test('screenshots of every page, light and dark', async ({ dashboard, api, page }) => {
  for (let i = 0; i < 12; i++) await api.tools.call({ server: 'example', tool: 'add', arguments: { a: i, b: 2 } });
  for (let i = 0; i < 5; i++) await api.tools.call({ server: 'everything', tool: 'echo', arguments: { message: `hello ${i}` } });
  await api.tools.call({ server: 'everything', tool: 'get-tiny-image', arguments: {} });
  await api.tools.call({ server: 'memory', tool: 'read_graph', arguments: {} }).catch(() => undefined);
  await api.tokens.create({ name: 'cursor', role: 'operator', allow: [], deny: [] });
  const run = await api.runs.create({
    plan: {
      tasks: [
        { id: 'sum', tool: 'example__add', arguments: { a: 2, b: 3 } },
        { id: 'say', tool: 'example__echo', arguments: { text: 'sum is {{sum.text}}' } },
      ],
    },
  });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const target of PAGES) {
      await dashboard.open(target.name === 'runs' ? `/runs/${run.id}` : target.path);
      await expect(page.getByText(target.ready).first()).toBeVisible();
      if (target.name === 'import') {
        await page.getByRole('checkbox', { name: 'Import github from Claude Desktop' }).check();
        await page.getByRole('button', { name: 'Preview the merge (1)' }).click();
        await expect(page.getByLabel('The merge into mcp-config.json')).toBeVisible();
      }
      if (target.name === 'clients') {
        await page.getByTestId('client-cline').getByRole('button', { name: 'Show the change' }).click();
        await expect(page.getByLabel('Change to the Cline config')).toBeVisible();
      }
      await page.waitForTimeout(600); // charts and editors settle; a picture, not a test
      await page.screenshot({ path: join(OUT, `${target.name}-${scheme}.png`) });
    }
  }
});
