/**
 * `batch_execute` end to end (docs/specification.md §6): real SDK clients over real HTTP, a real daemon, two real
 * stdio servers (the batch fixture as `a` and `b`). Concurrency and cancellation are read from what
 * the servers recorded, in order — no clock is compared. The mode switch: batch-mode.integration.test.ts.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { ElicitRequestSchema, type ElicitRequest, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureServer, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';
import { pollFor } from '../__fixtures__/wait.js';
import { BATCH_SERVER, batch, report, serverEvents, task, type CallResult } from './__fixtures__/batch-kit.js';

describe('batch_execute in batch mode', () => {
  let harness: Harness;
  let client: Client;

  beforeAll(async () => {
    harness = await startHarness(
      {
        a: fixtureServer(BATCH_SERVER, [], { env: { FIXTURE_LABEL: 'A' } }),
        b: fixtureServer(BATCH_SERVER, [], { env: { FIXTURE_LABEL: 'B' }, autoApprove: ['write'] }),
      },
      { orch: { mode: 'batch', disabledTools: { b: ['long'] } } },
    );
    client = await harness.connectAggregate('streamable');
  });

  afterAll(async () => {
    await harness?.dispose();
  });

  it('is listed with a description that teaches plans and the plan as its input schema, namespaced on the aggregate and plain per server', async () => {
    const { tools } = await client.listTools();
    const tool = tools.find((entry) => entry.name === 'batch_execute')!;
    expect(tool.description).toContain('{{id.text}}');
    expect(tool.description).toContain('{{id.structuredContent.');
    expect(tool.description).toContain('dependsOn');
    expect(tool.description).toContain('github__list_issues');
    expect(tool.inputSchema.required).toEqual(['tasks']);
    expect(tool.inputSchema.properties).toHaveProperty('maxConcurrency');

    const perServer = await harness.connect('a', 'streamable');
    const own = (await perServer.listTools()).tools;
    expect(own.map((entry) => entry.name)).toEqual(expect.arrayContaining(['slow', 'emit', 'batch_execute']));
    expect(own.find((entry) => entry.name === 'batch_execute')!.description).not.toContain('github__');
    const result = report(await batch(perServer, { tasks: [{ id: 'e', tool: 'emit' }] }));
    expect(task(result, 'e')).toMatchObject({ status: 'succeeded', text: 'emitted', structuredContent: { label: 'A' } });
  });

  it('runs independent calls at the same time, on one server and across servers', async () => {
    // Every call holds until the test releases it: seeing all four started proves they overlap,
    // whatever the speed of the machine.
    const plan = {
      tasks: [
        { id: 'p1', tool: 'a__hold', arguments: { label: 'overlap-1' } },
        { id: 'p2', tool: 'a__hold', arguments: { label: 'overlap-2' } },
        { id: 'p3', tool: 'a__hold', arguments: { label: 'overlap-3' } },
        { id: 'q1', tool: 'b__hold', arguments: { label: 'overlap-4' } },
      ],
    };
    const running = batch(client, plan);
    const started = async (tool: string) => (await serverEvents(client, tool)).filter((event) => event.startsWith('start overlap-'));
    await pollFor(
      'all four calls to be running at once',
      async () => (await started('a__events')).length === 3 && (await started('b__events')).length === 1,
    );
    for (const server of ['a', 'b']) await client.callTool({ name: `${server}__release`, arguments: {} });
    const result = report(await running);
    expect(result.status).toBe('succeeded');
    expect(result.tasks.map((entry) => entry.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    expect(task(result, 'q1').text).toBe('overlap-4');
  });

  it('carries typed values and text from one server to another through references', async () => {
    const plan = {
      tasks: [
        { id: 'e', tool: 'a__emit' },
        {
          id: 't',
          tool: 'b__typed',
          arguments: {
            count: '{{e.structuredContent.count}}',
            items: '{{e.structuredContent.items}}',
            text: 'got {{e.text}} from {{e.structuredContent.label}}',
          },
        },
      ],
    };
    const result = report(await batch(client, plan));
    expect(task(result, 't').structuredContent).toEqual({
      received: { count: 3, items: ['x', 'y', 'z'], text: 'got emitted from A' },
      types: { count: 'number', items: 'array', text: 'string' },
    });
  });

  it('skips only the dependents of a failed task and runs the rest', async () => {
    const plan = {
      tasks: [
        { id: 'f', tool: 'a__fail' },
        { id: 'after', tool: 'b__emit', dependsOn: ['f'] },
        { id: 'later', tool: 'b__typed', arguments: { count: 1, text: '{{after.text}}' } },
        { id: 'free', tool: 'b__emit' },
      ],
    };
    const result = report(await batch(client, plan));
    expect(result.status).toBe('failed');
    // Without an "output", the answer carries the results of the tasks nothing depends on; every task keeps its status and error.
    expect(result.output).toEqual(['later', 'free']);
    expect(task(result, 'f')).toMatchObject({ status: 'failed', error: { code: 'tool_error', message: 'failed on purpose (A)' } });
    expect(task(result, 'f').text).toBeUndefined();
    expect(task(result, 'after')).toMatchObject({ status: 'skipped', reason: 'dependency "f" failed' });
    expect(task(result, 'later')).toMatchObject({ status: 'skipped', reason: 'dependency "after" was skipped' });
    expect(task(result, 'free')).toMatchObject({ status: 'succeeded' });
  });

  it('with onError "stop", halts the rest: running calls are cancelled upstream, waiting ones skipped', async () => {
    const plan = {
      onError: 'stop',
      tasks: [
        { id: 'hold', tool: 'b__block', arguments: { label: 'stop-hold' } },
        { id: 'f', tool: 'a__fail', dependsOn: [] },
        { id: 'next', tool: 'a__emit', dependsOn: ['hold'] },
      ],
    };
    const result = report(await batch(client, plan));
    expect(task(result, 'f').status).toBe('failed');
    expect(task(result, 'hold')).toMatchObject({ status: 'cancelled', reason: 'the run stopped after task "f" failed' });
    expect(task(result, 'next')).toMatchObject({ status: 'skipped' });
    await pollFor('b saw the cancellation of stop-hold', async () => {
      const cancelled = ((await client.callTool({ name: 'b__cancellations', arguments: {} })) as CallResult).structuredContent as {
        cancelled: { label: string }[];
      };
      return cancelled.cancelled.some((entry) => entry.label === 'stop-hold');
    });
  });

  it('refuses a plan with a cycle, an unknown tool, bad arguments and a disabled tool, listing every problem and running nothing', async () => {
    const before = await serverEvents(client);
    const plan = {
      tasks: [
        { id: 'x', tool: 'a__slow', arguments: { label: 'never-x', ms: 1 }, dependsOn: ['y'] },
        { id: 'y', tool: 'a__slow', arguments: { label: 'never-y', ms: 1 }, dependsOn: ['x'] },
        { id: 'z', tool: 'a__nope' },
        { id: 'w', tool: 'b__typed', arguments: { count: 'three' } },
        { id: 'v', tool: 'b__long', arguments: { size: 1 } },
      ],
    };
    const result = await batch(client, plan);
    expect(result.isError).toBe(true);
    const text = result.content[0]!.text!;
    expect(text).toContain('The plan has 4 problems');
    expect(text).toContain('cycle: x → y → x');
    expect(text).toContain('unknown tool "a__nope"');
    expect(text).toContain('unknown tool "b__long"');
    expect(text).toMatch(/task "w": .*count/);
    expect(text).toContain('Nothing was run');
    expect(await serverEvents(client)).toEqual(before);
  });

  it('reports progress once per finished task', async () => {
    const progress: Progress[] = [];
    const plan = {
      tasks: [
        { id: 'one', tool: 'a__emit' },
        { id: 'two', tool: 'b__emit', dependsOn: ['one'] },
        { id: 'three', tool: 'a__fail', dependsOn: ['two'] },
      ],
    };
    await batch(client, plan, { onprogress: (update) => progress.push(update) });
    expect(progress).toEqual([
      { progress: 1, total: 3, message: 'one succeeded' },
      { progress: 2, total: 3, message: 'two succeeded' },
      { progress: 3, total: 3, message: 'three failed' },
    ]);
  });

  it('stops when the client cancels: running calls are cancelled upstream and the run is recorded as cancelled', async () => {
    const controller = new AbortController();
    // `hold` is sent to `a` before `quick`, so once `quick` has answered, `a` has `hold` too.
    const plan = {
      tasks: [
        { id: 'hold', tool: 'a__block', arguments: { label: 'client-cancel' } },
        { id: 'quick', tool: 'a__emit' },
      ],
    };
    const call = batch(client, plan, {
      signal: controller.signal,
      onprogress: (update) => {
        if (update.message === 'quick succeeded') controller.abort('enough');
      },
    });
    await expect(call).rejects.toThrow();
    await pollFor('a saw the cancellation of client-cancel', async () => {
      const cancelled = ((await client.callTool({ name: 'a__cancellations', arguments: {} })) as CallResult).structuredContent as {
        cancelled: { label: string }[];
      };
      return cancelled.cancelled.some((entry) => entry.label === 'client-cancel');
    });
    const runs = harness.runtime.store.runs;
    const thisRun = () =>
      runs
        .list(10)
        .map((entry) => runs.get(entry.id)!)
        .find((run) => JSON.stringify(run.plan).includes('client-cancel'));
    await pollFor('the run was recorded as cancelled', () => Promise.resolve(thisRun()?.status === 'cancelled'));
    const stored = thisRun()!;
    expect(stored.tasks.map((entry) => [entry.id, entry.status])).toEqual([
      ['hold', 'cancelled'],
      ['quick', 'succeeded'],
    ]);
  });

  it('records each run: plan, key, status, task timings and results; and tells listeners as it goes', async () => {
    const seen: string[] = [];
    const stop = harness.runtime.batch.onDidRun((event) =>
      seen.push(event.type === 'task' ? `${event.event.type} ${event.event.id}` : event.type),
    );
    const result = report(
      await batch(client, {
        tasks: [
          { id: 'e', tool: 'a__emit' },
          { id: 'f', tool: 'a__fail', dependsOn: ['e'] },
        ],
      }),
    );
    stop();
    expect(seen).toEqual(['started', 'started e', 'ended e', 'started f', 'ended f', 'ended']);
    const stored = harness.runtime.store.runs.get(result.runId)!;
    expect(stored).toMatchObject({
      id: result.runId,
      source: 'batch_execute',
      status: 'failed',
      taskCount: 2,
      plan: { tasks: [{ id: 'e' }, { id: 'f' }] },
    });
    expect(stored.createdBy).toEqual(expect.any(String));
    expect(stored.wallMs).toBeGreaterThan(0);
    expect(stored.tasks[0]).toMatchObject({
      id: 'e',
      tool: 'a__emit',
      server: 'a',
      status: 'succeeded',
      attempts: 1,
      result: { text: 'emitted' },
    });
    expect(stored.tasks[0]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(stored.tasks[1]).toMatchObject({
      id: 'f',
      status: 'failed',
      error: { code: 'tool_error' },
      result: { text: 'failed on purpose (A)', isError: true },
    });
    // The answer leaves out the result of "e", which only fed "f"; the stored run keeps every result.
    expect(task(result, 'e').text).toBeUndefined();
  });

  it('lets a key batch only the tools it may call: the others are unknown tools', async () => {
    const { token } = harness.runtime.tokens.createToken({ name: 'emit-only', role: 'operator', allow: ['a__emit', 'b__typed'] });
    const restricted = new Client({ name: 'restricted', version: '1.0.0' });
    const headers = { Authorization: `Bearer ${token}` };
    await restricted.connect(
      new SSEClientTransport(new URL('/sse', harness.runtime.url), {
        requestInit: { headers },
        eventSourceInit: {
          fetch: (url, init) => fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }),
        },
      }),
    );
    try {
      const refused = await batch(restricted, {
        tasks: [
          { id: 'e', tool: 'a__emit' },
          { id: 'f', tool: 'b__emit' },
          { id: 's', tool: 'a__slow', arguments: { label: 'not-allowed', ms: 1 } },
        ],
      });
      expect(refused.isError).toBe(true);
      expect(refused.content[0]!.text).toContain('The plan has 2 problems');
      expect(refused.content[0]!.text).toContain('unknown tool "b__emit"');
      expect(refused.content[0]!.text).toContain('unknown tool "a__slow"');
      const result = report(
        await batch(restricted, {
          tasks: [
            { id: 'e', tool: 'a__emit' },
            { id: 't', tool: 'b__typed', arguments: { count: '{{e.structuredContent.count}}' } },
          ],
        }),
      );
      expect(result.status).toBe('succeeded');
      expect(harness.runtime.store.runs.get(result.runId)?.createdBy).toBe('emit-only');
    } finally {
      await restricted.close();
    }
  });

  describe('approval', () => {
    it('asks a client that supports elicitation, naming the tools, and runs once it accepts', async () => {
      const asking = await harness.connectAggregate('streamable', { capabilities: { elicitation: {} } });
      const asked: ElicitRequest[] = [];
      asking.setRequestHandler(ElicitRequestSchema, (request) => {
        asked.push(request);
        return { action: 'accept', content: { approve: true } };
      });
      const plan = {
        tasks: [
          { id: 'w', tool: 'a__write', arguments: { text: 'approved-write' } },
          { id: 'auto', tool: 'b__write', arguments: { text: 'auto-write' } },
        ],
      };
      const result = report(await batch(asking, plan));
      expect(result.status).toBe('succeeded');
      expect(asked).toHaveLength(1);
      // `b__write` is in b's autoApprove: only `a__write` is asked for.
      expect(asked[0]!.params.message).toContain('a__write');
      expect(asked[0]!.params.message).not.toContain('b__write');
      expect(await serverEvents(client)).toContain('write approved-write');
    });

    it('runs nothing when the user declines', async () => {
      const asking = await harness.connectAggregate('streamable', { capabilities: { elicitation: {} } });
      asking.setRequestHandler(ElicitRequestSchema, () => ({ action: 'decline' }));
      const result = await batch(asking, { tasks: [{ id: 'w', tool: 'a__write', arguments: { text: 'declined-write' } }] });
      expect(result.isError).toBe(true);
      expect(result.content[0]!.text).toContain('declined');
      expect(await serverEvents(client)).not.toContain('write declined-write');
    });

    it('refuses before starting, naming the tools, when the client cannot be asked', async () => {
      const plan = {
        tasks: [
          { id: 'e', tool: 'a__emit' },
          { id: 'w', tool: 'a__write', arguments: { text: 'refused-write' } },
        ],
      };
      const result = await batch(client, plan);
      expect(result.isError).toBe(true);
      expect(result.content[0]!.text).toContain('a__write');
      expect(result.content[0]!.text).toContain('elicitation');
      expect(await serverEvents(client)).not.toContain('write refused-write');
    });
  });
});
