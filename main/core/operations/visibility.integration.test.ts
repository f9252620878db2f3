/**
 * Who sees which runs, calls, stats and live events (docs/auth.md, "Who sees what"): an admin sees
 * everything; any other key only what it (or the key it replaced) made, and a key with tool patterns
 * never what concerns tools outside them. A viewer is not offered batch_execute, and a plan refused
 * for a tool outside the key's patterns is audited as denied.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrchEvent } from '../../../shared/api/events.js';
import type { OperationId } from '../../../shared/api/operations.js';
import type { Result } from '../../../shared/api/result.js';
import type { Principal } from '../auth/roles.js';
import { TEST_TOKEN, exampleServer, fixtureServer, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';
import { pollFor } from '../__fixtures__/wait.js';

const BATCH_SERVER = new URL('../batch/__fixtures__/batch-server.mjs', import.meta.url).pathname;

let harness: Harness;
let admin: Principal;
let alice: Principal;
let bob: Principal;
let echoOnly: Principal;
const tokens: Record<string, string> = {};

function key(name: string, role: 'operator' | 'viewer', allow: string[] = []): Principal {
  const created = harness.runtime.tokens.createToken({ name, role, allow });
  tokens[name] = created.token;
  return principalOf(created.token);
}

function principalOf(token: string): Principal {
  const result = harness.runtime.tokens.authenticate(token);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function value<T>(result: Result): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

const dispatch = (id: OperationId, input: unknown, principal: Principal): Promise<Result> =>
  harness.runtime.operations.dispatch(id, input, principal);
const runIds = async (principal: Principal): Promise<string[]> =>
  value<{ items: { id: string }[] }>(await dispatch('runs.list', { limit: 100 }, principal)).items.map((run) => run.id);
const callers = async (principal: Principal): Promise<(string | undefined)[]> =>
  value<{ items: { keyName?: string }[] }>(await dispatch('calls.list', { limit: 1000 }, principal)).items.map((call) => call.keyName);

async function mcpClient(token: string): Promise<Client> {
  const client = new Client({ name: 'visibility-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL('/mcp', harness.runtime.url), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

beforeAll(async () => {
  harness = await startHarness({ example: exampleServer(), batchy: fixtureServer(BATCH_SERVER) }, { orch: { mode: 'batch' } });
  const known = () => new Set(harness.runtime.view.tools.map((tool) => tool.name));
  await pollFor('the catalogs', () => known().has('example__echo') && known().has('batchy__block'));
  admin = principalOf(TEST_TOKEN);
  alice = key('alice', 'operator');
  bob = key('bob', 'operator');
  echoOnly = key('echo-only', 'operator', ['example__echo']);
  key('watcher', 'viewer');
});

afterAll(async () => {
  await harness?.dispose();
});

describe('runs', () => {
  let aliceRun: string;

  beforeAll(async () => {
    aliceRun = value<{ id: string }>(
      await dispatch('runs.create', { plan: { tasks: [{ id: 'say', tool: 'example__echo', arguments: { text: 'alice' } }] } }, alice),
    ).id;
  });

  it('are seen by the key that started them and by an admin, not by another key', async () => {
    expect(await runIds(alice)).toContain(aliceRun);
    expect(await runIds(admin)).toContain(aliceRun);
    expect(await runIds(bob)).not.toContain(aliceRun);
    expect(await dispatch('runs.get', { id: aliceRun }, bob)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await dispatch('runs.cancel', { id: aliceRun }, bob)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(value<{ id: string }>(await dispatch('runs.get', { id: aliceRun }, alice)).id).toBe(aliceRun);
  });

  it('stay with a key across its rotation', async () => {
    const rotated = harness.runtime.tokens.rotate('alice', { graceMs: 0 });
    expect(await runIds(principalOf(rotated.token))).toContain(aliceRun);
  });

  it('refused for a tool outside the key’s patterns are forbidden and audited as denied', async () => {
    const refused = await dispatch(
      'runs.create',
      { plan: { tasks: [{ id: 'sum', tool: 'example__add', arguments: { a: 1, b: 2 } }] } },
      echoOnly,
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden', details: { denied: ['example__add'] } } });
    harness.runtime.store.audit.flush();
    expect(harness.runtime.store.audit.list({ keyName: 'echo-only', action: 'runs.create', limit: 5 }).items[0]).toMatchObject({
      outcome: 'denied',
    });
  });
});

describe('calls, stats and live events', () => {
  it('show a key its own calls only, and an admin every call', async () => {
    const events: Record<string, OrchEvent[]> = { admin: [], bob: [], echoOnly: [] };
    const stops = [
      value<() => void>(harness.runtime.operations.subscribe(admin, (event) => events.admin!.push(event))),
      value<() => void>(harness.runtime.operations.subscribe(bob, (event) => events.bob!.push(event))),
      value<() => void>(harness.runtime.operations.subscribe(echoOnly, (event) => events.echoOnly!.push(event))),
    ];
    try {
      value(await dispatch('tools.call', { server: 'example', tool: 'add', arguments: { a: 2, b: 3 } }, bob));
      value(await dispatch('tools.call', { server: 'example', tool: 'echo', arguments: { text: 'mine' } }, echoOnly));
      await pollFor('both calls as events', () => events.admin!.filter((event) => event.type === 'call').length >= 2);
    } finally {
      stops.forEach((stop) => stop());
    }
    const callsIn = (list: OrchEvent[]) => list.flatMap((event) => (event.type === 'call' ? [event.call.keyName] : []));
    expect(callsIn(events.admin!)).toEqual(expect.arrayContaining(['bob', 'echo-only']));
    expect(callsIn(events.bob!)).toEqual(['bob']);
    expect(callsIn(events.echoOnly!)).toEqual(['echo-only']);

    expect(new Set(await callers(bob))).toEqual(new Set(['bob']));
    expect(new Set(await callers(echoOnly))).toEqual(new Set(['echo-only']));
    expect(await callers(admin)).toEqual(expect.arrayContaining(['bob', 'echo-only']));
    const stats = value<{ total: { count: number } }>(await dispatch('stats.get', {}, bob));
    expect(stats.total.count).toBe((await callers(bob)).length);
  });
});

describe('batch_execute on the MCP endpoints', () => {
  it('is not offered to a viewer, and is to an operator', async () => {
    const viewer = await mcpClient(tokens.watcher!);
    const operator = await mcpClient(tokens.bob!);
    try {
      expect((await viewer.listTools()).tools.map((tool) => tool.name)).not.toContain('batch_execute');
      expect((await operator.listTools()).tools.map((tool) => tool.name)).toContain('batch_execute');
    } finally {
      await Promise.all([viewer.close(), operator.close()]);
    }
  });

  it('audits a plan it refuses, as denied when it names a tool outside the key’s patterns', async () => {
    const client = await mcpClient(tokens['echo-only']!);
    try {
      const result = (await client.callTool({
        name: 'batch_execute',
        arguments: { tasks: [{ id: 'sum', tool: 'example__add', arguments: { a: 1, b: 1 } }] },
      })) as { isError?: boolean };
      expect(result.isError).toBe(true);
    } finally {
      await client.close();
    }
    harness.runtime.store.audit.flush();
    expect(harness.runtime.store.audit.list({ keyName: 'echo-only', action: 'batch_execute', limit: 5 }).items[0]).toMatchObject({
      outcome: 'denied',
      details: { refused: true, denied: ['example__add'] },
    });
  });
});

describe('run progress', () => {
  it('reaches the database as each task moves on, not only when the run ends', async () => {
    const plan = {
      tasks: [
        { id: 'quick', tool: 'example__echo', arguments: { text: 'done' } },
        { id: 'hold', tool: 'batchy__block', arguments: { label: 'progress' } },
      ],
    };
    const { id } = value<{ id: string }>(await dispatch('runs.create', { plan }, admin));
    const stored = () => harness.runtime.store.runs.get(id);
    // Without a flush: the progress writer commits on its own within its interval.
    await pollFor('the quick task stored as succeeded', () => stored()?.tasks.find((task) => task.id === 'quick')?.status === 'succeeded');
    await pollFor('the held task stored as running', () => stored()?.tasks.find((task) => task.id === 'hold')?.status === 'running');
    const run = stored()!;
    expect(run.status).toBe('running');
    expect(run.tasks.find((task) => task.id === 'quick')).toMatchObject({
      startedAt: expect.any(Number) as unknown,
      endedAt: expect.any(Number) as unknown,
    });
    value(await dispatch('runs.cancel', { id }, admin));
  });
});
