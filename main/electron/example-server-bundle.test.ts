/**
 * The desktop app's example server: bundled into one file (scripts/bundle-example-server.mjs), it
 * runs on plain `node` from a folder with no node_modules, as it does from `app.asar.unpacked`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleExampleServer } from '../../scripts/bundle-example-server.mjs';

describe('the bundled example server', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcp-orch-example-bundle-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('needs no node_modules: node runs it alone and it answers tools', async () => {
    const file = join(dir, 'example-server.mjs');
    await bundleExampleServer({ outfile: file });
    const client = new Client({ name: 'bundle-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [file], cwd: dir, stderr: 'ignore' }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['echo', 'add', 'now']));
      const echoed = await client.callTool({ name: 'echo', arguments: { text: 'from the bundle' } });
      expect(JSON.stringify(echoed.content)).toContain('from the bundle');
    } finally {
      await client.close();
    }
  }, 30_000);
});
