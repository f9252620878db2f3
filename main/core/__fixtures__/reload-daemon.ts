/**
 * Test support for the hot-reload integration tests: one daemon per describe block, started from a
 * config the tests then rewrite on disk, with sessions on a server no change touches (`example`,
 * `steady`) and a check that those sessions and processes carry on undisturbed.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, expect } from 'vitest';
import type { ConfigFile } from '../../../shared/config.js';
import { askFixture, manyToolsServer, pidsOf, startWithAggregates, type ListChangeRecorder } from './aggregate-test-kit.js';
import { processExists } from './proxy-test-kit.js';
import { TRANSPORT_KINDS, exampleServer, type Harness, type TransportKind } from './runtime-harness.js';

export interface ReloadDaemon {
  /** The config the daemon starts on (`example` and `steady`); the tests change it and write it out. */
  readonly config: ConfigFile;
  /** Set by the `beforeAll` that `reloadDaemon` registers. */
  readonly harness: Harness;
  /** Sessions on `/mcp/example` and `/sse/example`: the server is never touched. */
  readonly example: Record<TransportKind, Client>;
  readonly aggregate: Record<TransportKind, Client>;
  readonly aggregateChanges: Record<TransportKind, ListChangeRecorder>;
  /** The processes of `example` and `steady` at the start. */
  readonly untouchedPids: Record<string, number | undefined>;
  /** Notes the current child processes, which must all be gone once the daemon is disposed. */
  notePids: () => void;
  /** The untouched servers still run the same processes, and every open session on them still works. */
  expectUntouchedServersUndisturbed: () => Promise<void>;
}

/**
 * Registers, in the calling describe block, hooks that start a daemon on a config of `example` and
 * a `steady` many-tools server and dispose of it, checking that no child it ran is left.
 */
export function reloadDaemon(): ReloadDaemon {
  const config: ConfigFile = { mcpServers: { example: exampleServer(), steady: manyToolsServer(2, 'steady') } };
  let harness: Harness | undefined;
  let untouchedPids: Record<string, number | undefined> = {};
  const seenPids = new Set<number>();
  const example = {} as Record<TransportKind, Client>;
  const aggregate = {} as Record<TransportKind, Client>;
  const aggregateChanges = {} as Record<TransportKind, ListChangeRecorder>;
  const started = (): Harness => {
    if (!harness) throw new Error('the reload daemon is not started yet');
    return harness;
  };

  const notePids = (): void => {
    for (const pid of Object.values(pidsOf(started().runtime))) if (pid !== undefined) seenPids.add(pid);
  };

  const expectUntouchedServersUndisturbed = async (): Promise<void> => {
    const pids = pidsOf(started().runtime);
    expect({ example: pids.example, steady: pids.steady }).toEqual(untouchedPids);
    for (const kind of TRANSPORT_KINDS) {
      expect((await example[kind].callTool({ name: 'add', arguments: { a: 20, b: 22 } })).structuredContent, kind).toEqual({ sum: 42 });
      expect((await aggregate[kind].callTool({ name: 'example__add', arguments: { a: 1, b: 2 } })).structuredContent, kind).toEqual({
        sum: 3,
      });
      expect(await askFixture(aggregate[kind], 'steady__tool_0'), kind).toEqual({
        tool: 'tool_0',
        pid: untouchedPids.steady,
        label: 'steady',
      });
    }
  };

  beforeAll(async () => {
    harness = await startWithAggregates(config.mcpServers, aggregate, aggregateChanges);
    for (const kind of TRANSPORT_KINDS) example[kind] = await harness.connect('example', kind);
    const pids = pidsOf(harness.runtime);
    untouchedPids = { example: pids.example, steady: pids.steady };
    notePids();
  });

  afterAll(async () => {
    await harness?.dispose();
    expect([...seenPids].filter(processExists)).toEqual([]);
  });

  return {
    config,
    get harness() {
      return started();
    },
    example,
    aggregate,
    aggregateChanges,
    get untouchedPids() {
      return untouchedPids;
    },
    notePids,
    expectUntouchedServersUndisturbed,
  };
}
