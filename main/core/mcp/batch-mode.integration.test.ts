/**
 * `batch_execute` offered or not by the mode (docs/specification.md §6): the config file's mode and
 * setMode telling every session, `serve --mode` over the file, and runs a stopped daemon left
 * running marked interrupted at the next start.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureServer, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';
import { Store } from '../store/store.js';
import { BATCH_SERVER, batch, report, task } from './__fixtures__/batch-kit.js';

describe('the mode switch', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ a: fixtureServer(BATCH_SERVER) });
  });

  afterAll(async () => {
    await harness?.dispose();
  });

  const nextListChanged = (client: Client): Promise<void> =>
    new Promise((resolve) => client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
  const names = async (client: Client): Promise<string[]> => (await client.listTools()).tools.map((tool) => tool.name);

  it('adds batch_execute when the config file says batch and removes it with setMode, telling every session', async () => {
    const aggregate = await harness.connectAggregate('streamable');
    const perServer = await harness.connect('a', 'sse');
    expect(harness.runtime.mode).toBe('proxy');
    expect(await names(aggregate)).not.toContain('batch_execute');
    expect(await names(perServer)).not.toContain('batch_execute');

    let changed = [nextListChanged(aggregate), nextListChanged(perServer)];
    await writeFile(harness.configPath, JSON.stringify({ mcpServers: { a: fixtureServer(BATCH_SERVER) }, orch: { mode: 'batch' } }));
    await Promise.all(changed);
    expect(harness.runtime.mode).toBe('batch');
    expect(await names(aggregate)).toContain('batch_execute');
    expect(await names(perServer)).toContain('batch_execute');

    changed = [nextListChanged(aggregate), nextListChanged(perServer)];
    harness.runtime.setMode('proxy');
    await Promise.all(changed);
    expect(harness.runtime.mode).toBe('proxy');
    expect(await names(aggregate)).not.toContain('batch_execute');
    expect(await names(perServer)).not.toContain('batch_execute');
    await expect(aggregate.callTool({ name: 'batch_execute', arguments: { tasks: [] } })).rejects.toThrow(/Unknown tool/);
  });
});

describe('serve --mode', () => {
  it('overrides orch.mode for the daemon (and orch.batch.maxResultChars cuts long results)', async () => {
    const harness = await startHarness(
      { a: fixtureServer(BATCH_SERVER) },
      { orch: { mode: 'proxy', batch: { maxResultChars: 10 } }, runtime: { mode: 'batch' } },
    );
    try {
      expect(harness.runtime.mode).toBe('batch');
      const client = await harness.connect('a', 'streamable');
      expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('batch_execute');
      const result = report(await batch(client, { tasks: [{ id: 'l', tool: 'long', arguments: { size: 25 } }] }));
      expect(task(result, 'l')).toMatchObject({ text: `${'x'.repeat(10)}… [truncated: 15 more characters]`, truncated: true });
    } finally {
      await harness.dispose();
    }
  });
});

describe('daemon start', () => {
  it('marks the runs a stopped daemon left running as interrupted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-orch-runs-'));
    const databasePath = join(dir, 'orch.db');
    const before = Store.open(databasePath);
    before.runs.start({
      id: 'left-running',
      source: 'batch_execute',
      plan: { tasks: [{ id: 'a', tool: 'a__emit' }] },
      startedAt: Date.now(),
      tasks: [{ id: 'a', tool: 'a__emit', server: 'a' }],
    });
    before.close();
    const harness = await startHarness({ a: fixtureServer(BATCH_SERVER) }, { runtime: { databasePath } });
    try {
      expect(harness.runtime.store.runs.get('left-running')).toMatchObject({
        status: 'interrupted',
        tasks: [{ id: 'a', status: 'interrupted' }],
      });
    } finally {
      await harness.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
