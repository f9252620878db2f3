/**
 * `mode.*` and `runs.*` over real HTTP against a real daemon (docs/specification.md §6, §7): the mode in force and
 * its switch reaching connected clients; plans checked, run in the background as the caller's key,
 * read back with their waves and results, cancelled, followed on `/api/events`, and audited.
 */
import { readFile } from 'node:fs/promises';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orchEventSchema } from '../../../shared/api/events.js';
import { operations } from '../../../shared/api/operations.js';
import { TEST_TOKEN, fixtureServer, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';
import { callOperation, type ApiResponse } from './__fixtures__/rest-client.js';
import { pollFor } from '../__fixtures__/wait.js';

const BATCH_SERVER = new URL('../batch/__fixtures__/batch-server.mjs', import.meta.url).pathname;

type RunBody = ReturnType<(typeof operations)['runs.get']['output']['parse']>;

describe('mode over the API', () => {
  let harness: Harness;

  beforeAll(async () => {
    // `serve --mode batch` over a file that says proxy.
    harness = await startHarness({ a: fixtureServer(BATCH_SERVER) }, { orch: { mode: 'proxy' }, runtime: { mode: 'batch' } });
  });

  afterAll(async () => {
    await harness?.dispose();
  });

  it('answers the mode in force, not the file, under serve --mode', async () => {
    expect(harness.runtime.mode).toBe('batch');
    const got = await callOperation(harness, operations['mode.get'], {});
    expect(got).toMatchObject({ status: 200, body: { mode: 'batch' } });
  });

  it('switches the mode even when the file already holds it, and tells connected aggregate clients', async () => {
    const client = await harness.connectAggregate('streamable');
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void changed++);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('batch_execute');

    const set = await callOperation(harness, operations['mode.set'], { mode: 'proxy' });
    expect(set).toMatchObject({ status: 200, body: { mode: 'proxy' } });
    expect(harness.runtime.mode).toBe('proxy');
    await pollFor('the client heard tools/list_changed', () => (changed >= 1 ? true : undefined));
    expect((await client.listTools()).tools.map((tool) => tool.name)).not.toContain('batch_execute');
    expect((await callOperation(harness, operations['mode.get'], {})).body).toEqual({ mode: 'proxy' });

    const back = await callOperation(harness, operations['mode.set'], { mode: 'batch' });
    expect(back).toMatchObject({ status: 200, body: { mode: 'batch' } });
    expect(JSON.parse(await readFile(harness.configPath, 'utf8'))).toMatchObject({ orch: { mode: 'batch' } });
    expect(harness.runtime.mode).toBe('batch');
    await pollFor('the client heard the second tools/list_changed', () => (changed >= 2 ? true : undefined));
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('batch_execute');
  });
});

describe('runs over the API', () => {
  let harness: Harness;

  const call = (id: keyof typeof operations, input: Record<string, unknown>, token: string = TEST_TOKEN): Promise<ApiResponse> =>
    callOperation(harness, operations[id], input, token);

  const create = async (plan: unknown, token?: string): Promise<RunBody> => {
    const response = await call('runs.create', { plan }, token);
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    return operations['runs.create'].output.parse(response.body);
  };

  const finished = (id: string): Promise<RunBody> =>
    pollFor(`run ${id} ended`, async () => {
      const response = await call('runs.get', { id });
      expect(response.status).toBe(200);
      const run = operations['runs.get'].output.parse(response.body);
      return run.status === 'running' || run.status === 'queued' ? undefined : run;
    });

  beforeAll(async () => {
    harness = await startHarness(
      {
        a: fixtureServer(BATCH_SERVER, [], { env: { FIXTURE_LABEL: 'A' } }),
        b: fixtureServer(BATCH_SERVER, [], { env: { FIXTURE_LABEL: 'B' }, autoApprove: ['write'] }),
      },
      { orch: { mode: 'proxy' } },
    );
    const names = () => new Set(harness.runtime.view.tools.map((tool) => tool.name));
    await pollFor('both catalogs are known', () => (names().has('a__emit') && names().has('b__write') ? true : undefined));
  });

  afterAll(async () => {
    await harness?.dispose();
  });

  it('runs a plan in the background and reads it back: waves, results, skips and timings', async () => {
    const plan = {
      tasks: [
        { id: 'e', tool: 'a__emit' },
        { id: 'x', tool: 'b__slow', arguments: { label: 'x', ms: 5 } },
        { id: 't', tool: 'a__typed', arguments: { count: '{{e.structuredContent.count}}', text: '{{x.text}}' } },
        { id: 'f', tool: 'a__fail' },
        { id: 'after', tool: 'a__emit', dependsOn: ['f'] },
        { id: 'later', tool: 'a__emit', dependsOn: ['after'] },
      ],
    };
    const started = await create(plan);
    expect(started).toMatchObject({ source: 'api', createdBy: '(bootstrap)', plan: { tasks: expect.any(Array) as unknown } });
    expect(started.tasks.map((task) => [task.id, task.wave])).toEqual([
      ['e', 0],
      ['x', 0],
      ['t', 1],
      ['f', 0],
      ['after', 1],
      ['later', 2],
    ]);

    const run = await finished(started.id);
    expect(run.status).toBe('failed');
    const task = (id: string) => run.tasks.find((entry) => entry.id === id)!;
    expect(task('e')).toMatchObject({ status: 'succeeded', server: 'a', attempts: 1, result: { structuredContent: { count: 3 } } });
    expect(task('t')).toMatchObject({ status: 'succeeded', wave: 1 });
    expect(JSON.stringify(task('t').result)).toContain('"count":3');
    expect(task('f')).toMatchObject({ status: 'failed', error: { code: 'tool_error' } });
    expect(task('after')).toMatchObject({ status: 'skipped', skippedBecause: 'f' });
    expect(task('later')).toMatchObject({ status: 'skipped', skippedBecause: 'f', wave: 2 });
    expect(run.wallMs).toBeGreaterThan(0);
    expect(run.finishedAt).toBeGreaterThanOrEqual(run.createdAt);
    expect(task('e').startedAt).toBeGreaterThanOrEqual(run.createdAt - 1);

    const listed = operations['runs.list'].output.parse((await call('runs.list', { status: 'failed' })).body);
    expect(listed.items.find((item) => item.id === run.id)).toMatchObject({
      status: 'failed',
      taskCount: 6,
      counts: { succeeded: 3, failed: 1, skipped: 2 },
    });
  });

  it('lists runs newest first, a page at a time', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await create({ tasks: [{ id: 'e', tool: 'a__emit' }] })).id);
    const runs = await Promise.all(ids.map(finished));
    // Newest first; runs started in the same millisecond come by id, descending.
    const newestFirst = runs.sort((x, y) => y.createdAt - x.createdAt || (x.id < y.id ? 1 : -1)).map((run) => run.id);
    const first = operations['runs.list'].output.parse((await call('runs.list', { limit: 2 })).body);
    expect(first.items.map((item) => item.id)).toEqual(newestFirst.slice(0, 2));
    expect(first.nextCursor).toBeDefined();
    const second = operations['runs.list'].output.parse((await call('runs.list', { limit: 1, before: first.nextCursor })).body);
    expect(second.items.map((item) => item.id)).toEqual(newestFirst.slice(2));
    expect((await call('runs.list', { before: 'garbage' })).status).toBe(400);
  });

  it('dry-runs a plan: its waves and the tools that need approval, or every problem, running nothing', async () => {
    const before = harness.runtime.store.runs.list(1000).length;
    const preview = await call('runs.dryRun', {
      plan: {
        tasks: [
          { id: 'e', tool: 'a__emit' },
          { id: 'w', tool: 'a__write', arguments: { text: '{{e.text}}' } },
          { id: 'v', tool: 'b__write', arguments: { text: 'ok' } },
          { id: 'last', tool: 'a__emit', dependsOn: ['w', 'v'] },
        ],
      },
    });
    expect(preview.status).toBe(200);
    expect(operations['runs.dryRun'].output.parse(preview.body)).toMatchObject({
      valid: true,
      waves: [['e', 'v'], ['w'], ['last']],
      problems: [],
      needsApproval: ['a__write'],
    });

    const bad = await call('runs.dryRun', {
      plan: {
        tasks: [
          { id: 'n', tool: 'a__nope' },
          { id: 't', tool: 'a__typed', arguments: { count: 'three' } },
          { id: 'c', tool: 'a__emit', arguments: { x: '{{ghost.text}}' } },
        ],
      },
    });
    const body = operations['runs.dryRun'].output.parse(bad.body);
    expect(body.valid).toBe(false);
    expect(body.problems.map((problem) => problem.path)).toEqual(expect.arrayContaining(['plan.tasks[0].tool', 'plan.tasks[1].arguments']));
    const messages = body.problems.map((problem) => problem.message).join('\n');
    for (const part of ['unknown tool "a__nope"', 'arguments.count', '{{ghost.text}} names no task']) expect(messages).toContain(part);
    expect(harness.runtime.store.runs.list(1000).length).toBe(before);
  });

  it('refuses an invalid plan with 400 and every problem, and a request while no planner is configured', async () => {
    const invalid = await call('runs.create', {
      plan: {
        tasks: [
          { id: 'n', tool: 'a__nope' },
          { id: 'm', tool: 'zz__none' },
        ],
      },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({
      error: { code: 'bad_request', details: { problems: [{ path: 'plan.tasks[0].tool' }, { path: 'plan.tasks[1].tool' }] } },
    });
    const request = await call('runs.create', { request: 'list the issues' });
    expect(request).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_config', message: expect.stringContaining('orch.planner') as unknown } },
    });
  });

  it('refuses tools that need approval, naming them, and runs those approved by config', async () => {
    const refused = await call('runs.create', {
      plan: {
        tasks: [
          { id: 'w', tool: 'a__write', arguments: { text: 'no' } },
          { id: 'e', tool: 'a__emit' },
        ],
      },
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      error: { code: 'forbidden', message: expect.stringContaining('a__write') as unknown, details: { needsApproval: ['a__write'] } },
    });
    const approved = await create({ tasks: [{ id: 'v', tool: 'b__write', arguments: { text: 'auto' } }] });
    expect((await finished(approved.id)).status).toBe('succeeded');
  });

  it('runs as the caller’s key: tools outside its patterns are refused, a viewer may not start runs nor read another key’s', async () => {
    const key = harness.runtime.tokens.createToken({ name: 'emit-only', role: 'operator', allow: ['a__emit'] }).token;
    const refused = await call('runs.create', { plan: { tasks: [{ id: 's', tool: 'b__slow', arguments: { label: 's', ms: 1 } }] } }, key);
    expect(refused).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden', details: { denied: ['b__slow'], problems: [{ path: 'plan.tasks[0].tool' }] } } },
    });
    const unknown = await call('runs.create', { plan: { tasks: [{ id: 's', tool: 'b__nothing' }] } }, key);
    expect(unknown).toMatchObject({ status: 400, body: { error: { details: { problems: [{ path: 'plan.tasks[0].tool' }] } } } });
    const run = await create({ tasks: [{ id: 'e', tool: 'a__emit' }] }, key);
    expect(run.createdBy).toBe('emit-only');
    const viewer = harness.runtime.tokens.createToken({ name: 'runs-viewer', role: 'viewer' }).token;
    expect((await call('runs.create', { plan: { tasks: [{ id: 'e', tool: 'a__emit' }] } }, viewer)).status).toBe(403);
    expect((await call('runs.get', { id: run.id }, viewer)).status).toBe(404);
    expect((await call('runs.get', { id: run.id }, key)).status).toBe(200);
  });

  it('cancels a running run: the call is cancelled upstream; a finished run answers 409, an unknown one 404', async () => {
    const run = await create({
      tasks: [
        { id: 'hold', tool: 'a__block', arguments: { label: 'api-cancel' } },
        { id: 'next', tool: 'a__emit', dependsOn: ['hold'] },
      ],
    });
    await pollFor('the blocking task runs', async () => {
      const body = operations['runs.get'].output.parse((await call('runs.get', { id: run.id })).body);
      return body.tasks[0]!.status === 'running' ? true : undefined;
    });
    const cancelled = await call('runs.cancel', { id: run.id });
    expect(cancelled.status).toBe(200);
    expect(operations['runs.cancel'].output.parse(cancelled.body)).toMatchObject({
      status: 'cancelled',
      tasks: [
        { id: 'hold', status: 'cancelled', reason: 'the run was cancelled' },
        { id: 'next', status: 'cancelled' },
      ],
    });
    await pollFor('the server saw the cancellation', async () => {
      const result = (await harness.runtime.supervisor.get('a')!.forward(
        { jsonrpc: '2.0', id: 'probe', method: 'tools/call', params: { name: 'cancellations', arguments: {} } },
        {
          clientCapabilities: {},
          deliverNotification: () => undefined,
          askClient: () => Promise.resolve({ error: { code: -1, message: 'no' } }),
        },
      ))!;
      const list = ('result' in result ? (result.result.structuredContent as { cancelled: { label: string }[] }) : { cancelled: [] })
        .cancelled;
      return list.some((entry) => entry.label === 'api-cancel') ? true : undefined;
    });

    const again = await call('runs.cancel', { id: run.id });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect((await call('runs.cancel', { id: 'no-such-run' })).status).toBe(404);
    expect((await call('runs.get', { id: 'no-such-run' })).status).toBe(404);
  });

  it('streams run.progress events on /api/events as a run goes', async () => {
    const controller = new AbortController();
    const response = await fetch(harness.bareUrl('/api/events'), {
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
      signal: controller.signal,
    });
    const reader = response.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    const decoder = new TextDecoder();
    await reader.read(); // `: connected`
    const run = await create({
      tasks: [
        { id: 'e', tool: 'a__emit' },
        { id: 'f', tool: 'a__emit', dependsOn: ['e'] },
      ],
    });
    const events: {
      runId: string;
      status: string;
      task?: { id: string; status: string; durationMs?: number };
      counts: Record<string, number>;
    }[] = [];
    let buffer = '';
    try {
      while (!events.some((event) => event.runId === run.id && event.status === 'succeeded')) {
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended');
        buffer += decoder.decode(value, { stream: true });
        const blocks = buffer.split('\n\n');
        buffer = blocks.pop()!;
        for (const block of blocks) {
          if (!/^event: run\.progress$/m.test(block)) continue;
          const event = orchEventSchema.parse(JSON.parse(/^data: (.+)$/m.exec(block)![1]!));
          if (event.type === 'run.progress') events.push(event);
        }
      }
    } finally {
      controller.abort();
    }
    const mine = events.filter((event) => event.runId === run.id);
    expect(mine[0]).toMatchObject({ status: 'running', counts: { queued: 2 } });
    expect(mine.map((event) => event.task && `${event.task.id} ${event.task.status}`).filter(Boolean)).toEqual([
      'e running',
      'e succeeded',
      'f running',
      'f succeeded',
    ]);
    expect(mine.find((event) => event.task?.status === 'succeeded')).toMatchObject({ counts: { succeeded: 1, queued: 1 } });
    expect(mine.at(-1)).toMatchObject({ status: 'succeeded', counts: { succeeded: 2 } });
  });

  it('audits runs.create and runs.cancel with the run id, and a batch_execute run made over MCP', async () => {
    harness.runtime.setMode('batch');
    const client = await harness.connectAggregate('streamable');
    const result = await client.callTool({ name: 'batch_execute', arguments: { tasks: [{ id: 'e', tool: 'a__emit' }] } });
    const runId = (result.structuredContent as { runId: string }).runId;
    const created = await create({ tasks: [{ id: 'e', tool: 'a__emit' }] });
    await finished(created.id);
    harness.runtime.store.audit.flush();
    const entries = (action: string) => harness.runtime.store.audit.list({ action, limit: 1000 }).items;
    expect(entries('batch_execute').find((entry) => entry.target === runId)).toMatchObject({
      keyName: '(bootstrap)',
      keyId: 'bootstrap',
      outcome: 'ok',
    });
    expect(entries('runs.create').find((entry) => entry.target === created.id)).toMatchObject({ keyName: '(bootstrap)', outcome: 'ok' });
    expect(entries('runs.create').some((entry) => entry.outcome === 'denied' && JSON.stringify(entry.details).includes('a__write'))).toBe(
      true,
    );
    expect(entries('runs.cancel').map((entry) => entry.outcome)).toEqual(expect.arrayContaining(['ok', 'error']));
    expect(harness.runtime.store.runs.get(runId)?.source).toBe('batch_execute');
  });
});
