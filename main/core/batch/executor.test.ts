import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualCalls, graphOf, settled, text } from './__fixtures__/harness.js';
import { runPlan } from './executor.js';
import type { TaskEvent } from './run-report.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('runPlan', () => {
  it('starts a task as soon as its own dependencies succeeded, not when the whole wave is done', async () => {
    const calls = new ManualCalls();
    const graph = graphOf({
      tasks: [
        { id: 'slow', tool: 'a__read' },
        { id: 'fast', tool: 'a__read' },
        {
          id: 'next',
          tool: 'a__read',
          arguments: { input: '{{fast.structuredContent.rows}}', label: 'rows: {{fast.structuredContent.rows}}' },
        },
        { id: 'last', tool: 'a__read', dependsOn: ['slow', 'next'] },
      ],
    });
    const run = runPlan(graph, { callTool: calls.callTool });
    await calls.succeed('fast', { content: [], structuredContent: { rows: [1, 2] } });
    const next = await calls.started('next');
    expect(next.args).toEqual({ input: [1, 2], label: 'rows: [1,2]' });
    expect(calls.running).toEqual(['next', 'slow']);
    await calls.succeed('next');
    await settled();
    expect(calls.running).toEqual(['slow']);
    await calls.succeed('slow');
    await calls.succeed('last');
    const report = await run;
    expect(calls.log).toEqual(['start slow', 'start fast', 'end fast', 'start next', 'end next', 'end slow', 'start last', 'end last']);
    expect(report.status).toBe('succeeded');
    expect(report.tasks.map((task) => [task.id, task.status, task.attempts])).toEqual([
      ['slow', 'succeeded', 1],
      ['fast', 'succeeded', 1],
      ['next', 'succeeded', 1],
      ['last', 'succeeded', 1],
    ]);
  });

  it('never runs more tasks than the global limit', async () => {
    const calls = new ManualCalls();
    const graph = graphOf({ tasks: ['a', 'b', 'c', 'd'].map((id) => ({ id, tool: `${id}__read` })), maxConcurrency: 2 });
    const run = runPlan(graph, { callTool: calls.callTool });
    await settled();
    expect(calls.running).toEqual(['a', 'b']);
    await calls.succeed('b');
    await calls.started('c');
    expect(calls.running).toEqual(['a', 'c']);
    for (const id of ['a', 'c', 'd']) await calls.succeed(id);
    expect((await run).status).toBe('succeeded');
  });

  it('never runs more tasks of one server than its limit, and serves the other servers meanwhile', async () => {
    const calls = new ManualCalls();
    const graph = graphOf({
      tasks: [
        { id: 'a1', tool: 'a__read' },
        { id: 'a2', tool: 'a__read' },
        { id: 'a3', tool: 'a__read' },
        { id: 'b1', tool: 'b__read' },
        { id: 'b2', tool: 'b__read' },
      ],
      maxConcurrency: 8,
    });
    const run = runPlan(graph, { callTool: calls.callTool, perServerConcurrency: (server) => (server === 'a' ? 1 : 2) });
    await settled();
    expect(calls.running).toEqual(['a1', 'b1', 'b2']);
    await calls.succeed('a1');
    await calls.started('a2');
    expect(calls.running).toEqual(['a2', 'b1', 'b2']);
    for (const id of ['a2', 'a3', 'b1', 'b2']) await calls.succeed(id);
    expect((await run).status).toBe('succeeded');
  });

  it('fails a task whose call outlives its timeout and aborts the call', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const calls = new ManualCalls();
    const graph = graphOf({ tasks: [{ id: 'hang', tool: 'a__write', timeoutMs: 5_000 }] });
    const run = runPlan(graph, { callTool: calls.callTool });
    const call = await calls.started('hang');
    await vi.advanceTimersByTimeAsync(4_999);
    expect(call.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const report = await run;
    expect(call.signal.aborted).toBe(true);
    expect(report.tasks[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { code: 'timeout', message: 'no answer within 5000 ms' },
    });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("gives a task without its own timeout its server's, before the default", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const calls = new ManualCalls();
    const graph = graphOf({
      tasks: [
        { id: 'a', tool: 'a__write' },
        { id: 'b', tool: 'b__write' },
      ],
    });
    const run = runPlan(graph, {
      callTool: calls.callTool,
      timeoutOf: (server) => (server === 'a' ? 1_000 : undefined),
      defaultTimeoutMs: 3_000,
    });
    const [a, b] = [await calls.started('a'), await calls.started('b')];
    await vi.advanceTimersByTimeAsync(1_000);
    expect([a.signal.aborted, b.signal.aborted]).toEqual([true, false]);
    await vi.advanceTimersByTimeAsync(2_000);
    const report = await run;
    expect(report.tasks.map((task) => task.error?.message)).toEqual(['no answer within 1000 ms', 'no answer within 3000 ms']);
  });

  it('retries read-only and idempotent tools with exponential backoff, others never', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const calls = new ManualCalls();
    const events: TaskEvent[] = [];
    const graph = graphOf({
      tasks: [
        { id: 'read', tool: 'a__read', retries: 3 },
        { id: 'idem', tool: 'b__idem', retries: 1 },
        { id: 'write', tool: 'c__write', retries: 3 },
      ],
    });
    const run = runPlan(graph, { callTool: calls.callTool, backoff: { baseMs: 100 }, onTaskEvent: (event) => events.push(event) });
    await calls.fail('write');
    await calls.fail('idem');
    await calls.fail('read');
    await vi.advanceTimersByTimeAsync(100);
    await calls.succeed('idem');
    await calls.succeed('read', { content: [{ type: 'text', text: 'busy' }], isError: true });
    await vi.advanceTimersByTimeAsync(199);
    expect(calls.running).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await calls.succeed('read');
    const report = await run;
    expect(report.tasks.map((task) => [task.id, task.status, task.attempts])).toEqual([
      ['read', 'succeeded', 3],
      ['idem', 'succeeded', 2],
      ['write', 'failed', 1],
    ]);
    const retries = events.filter((event) => event.type === 'retrying');
    expect(retries.map((event) => [event.id, event.attempt, event.delayMs, event.error.code])).toEqual([
      ['idem', 1, 100, 'call_failed'],
      ['read', 1, 100, 'call_failed'],
      ['read', 2, 200, 'tool_error'],
    ]);
  });

  it('skips the dependents of a failed task with the reason, transitively, and goes on with the rest', async () => {
    const calls = new ManualCalls();
    const graph = graphOf({
      tasks: [
        { id: 'a', tool: 'a__write' },
        { id: 'b', tool: 'a__write', dependsOn: ['a'] },
        { id: 'c', tool: 'a__write', arguments: { x: '{{b.text}}' } },
        { id: 'free', tool: 'b__write' },
      ],
    });
    const run = runPlan(graph, { callTool: calls.callTool });
    await calls.succeed('a', { content: [{ type: 'text', text: 'no such repo' }], isError: true });
    await calls.succeed('free');
    const report = await run;
    expect(report.status).toBe('failed');
    expect(report.tasks).toMatchObject([
      { id: 'a', status: 'failed', attempts: 1, error: { code: 'tool_error', message: 'no such repo' }, result: { isError: true } },
      { id: 'b', status: 'skipped', attempts: 0, reason: 'dependency "a" failed' },
      { id: 'c', status: 'skipped', attempts: 0, reason: 'dependency "b" was skipped' },
      { id: 'free', status: 'succeeded' },
    ]);
    expect(calls.log).not.toContain('start b');
  });

  it('fails a task whose reference is missing from the result, naming the reference', async () => {
    const calls = new ManualCalls();
    const graph = graphOf({
      tasks: [
        { id: 'a', tool: 'a__read' },
        { id: 'b', tool: 'a__read', arguments: { n: '{{a.structuredContent.total}}' } },
      ],
    });
    const run = runPlan(graph, { callTool: calls.callTool });
    await calls.succeed('a', text('no structured content'));
    expect((await run).tasks[1]).toMatchObject({
      status: 'failed',
      attempts: 0,
      error: { code: 'reference', message: '{{a.structuredContent.total}}: the result has no structuredContent' },
    });
  });

  it('on "stop", cancels running tasks and skips the rest after a failure', async () => {
    const calls = new ManualCalls();
    const graph = graphOf({
      tasks: [
        { id: 'bad', tool: 'a__write' },
        { id: 'busy', tool: 'b__write' },
        { id: 'later', tool: 'c__write', dependsOn: ['busy'] },
        { id: 'queued', tool: 'd__write' },
      ],
      maxConcurrency: 2,
      onError: 'stop',
    });
    const run = runPlan(graph, { callTool: calls.callTool });
    const busy = await calls.started('busy');
    await calls.fail('bad');
    const report = await run;
    expect(busy.signal.aborted).toBe(true);
    const reason = 'the run stopped after task "bad" failed';
    expect(report.tasks).toMatchObject([
      { id: 'bad', status: 'failed', error: { code: 'call_failed', message: 'bad broke' } },
      { id: 'busy', status: 'cancelled', reason },
      { id: 'later', status: 'skipped', reason },
      { id: 'queued', status: 'skipped', reason },
    ]);
    expect(report.status).toBe('failed');
    expect(calls.log).not.toContain('start queued');
  });

  it('cancels the whole run when its signal aborts, during a call or a backoff', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const calls = new ManualCalls();
    const controller = new AbortController();
    const graph = graphOf({
      tasks: [
        { id: 'running', tool: 'a__write' },
        { id: 'waiting', tool: 'b__read', retries: 5 },
        { id: 'after', tool: 'a__write', dependsOn: ['running'] },
      ],
    });
    const run = runPlan(graph, { callTool: calls.callTool, signal: controller.signal, backoff: { baseMs: 60_000 } });
    const running = await calls.started('running');
    await calls.fail('waiting');
    await settled();
    controller.abort();
    const report = await run;
    expect(running.signal.aborted).toBe(true);
    expect(report.status).toBe('cancelled');
    expect(report.tasks.map((task) => [task.id, task.status, task.reason])).toEqual([
      ['running', 'cancelled', 'the run was cancelled'],
      ['waiting', 'cancelled', 'the run was cancelled'],
      ['after', 'cancelled', 'the run was cancelled'],
    ]);
    // The backoff timer went with the run.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('calls nothing when the run is cancelled before it starts', async () => {
    const calls = new ManualCalls();
    const report = await runPlan(graphOf({ tasks: [{ id: 'a', tool: 'a__read' }] }), {
      callTool: calls.callTool,
      signal: AbortSignal.abort(),
    });
    expect(calls.log).toEqual([]);
    expect(report).toMatchObject({ status: 'cancelled', tasks: [{ status: 'cancelled', attempts: 0 }] });
  });

  it('turns a call that throws at once into a failed task', async () => {
    const graph = graphOf({ tasks: [{ id: 'a', tool: 'a__write' }] });
    const report = await runPlan(graph, {
      callTool: () => {
        throw new Error('not connected');
      },
    });
    expect(report.tasks[0]).toMatchObject({ status: 'failed', error: { code: 'call_failed', message: 'not connected' } });
  });

  it('reports times from its clock: wall time, the sum of task times and the speedup', async () => {
    let clock = 1_000;
    const graph = graphOf({ tasks: ['a', 'b', 'c'].map((id) => ({ id, tool: 'a__read' })) });
    const calls = new ManualCalls();
    const run = runPlan(graph, { callTool: calls.callTool, now: () => clock });
    await settled();
    clock = 1_010;
    await calls.succeed('a');
    clock = 1_020;
    await calls.succeed('b');
    await calls.succeed('c');
    const report = await run;
    expect(report).toMatchObject({ startedAt: 1_000, endedAt: 1_020, wallTimeMs: 20, taskTimeMs: 50, speedup: 2.5 });
    expect(report.tasks[0]).toMatchObject({ startedAt: 1_000, endedAt: 1_010, durationMs: 10 });
  });
});
