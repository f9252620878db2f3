/**
 * Fault tests of the supervisor and the proxy, through the real runtime: real stdio children, real
 * SDK clients over real HTTP on 127.0.0.1. Each test starts its own daemon and disposes it. Here:
 * crashes, hangs and cancellations over each transport; servers that cannot start, orphans:
 * faults-lifecycle.test.ts; malformed JSON-RPC: faults-protocol.test.ts.
 */
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { TRANSPORT_KINDS, recordStates } from '../__fixtures__/runtime-harness.js';
import type { LogEntry } from './log-buffer.js';
import { isAlive } from './process-tree.js';
import { waitForLog } from '../__fixtures__/wait.js';
import { echo, failureOf, faultServer, faultSuite, supervisorOf, textOf } from './__fixtures__/fault-kit.js';

const { start, pidsOf } = faultSuite();

const startedLine =
  (tool: string) =>
  (entry: LogEntry): boolean =>
    entry.stream === 'stderr' && entry.line.startsWith(`started ${tool} `);
const upstreamIdOf = (entry: LogEntry): number => Number(entry.line.split(' ')[2]);
const CANCELLED_PREFIX = 'received notifications/cancelled ';
const isCancelledLine = (entry: LogEntry): boolean => entry.stream === 'stderr' && entry.line.startsWith(CANCELLED_PREFIX);
const cancelledParams = (entry: LogEntry): unknown => JSON.parse(entry.line.slice(CANCELLED_PREFIX.length));

describe.each(TRANSPORT_KINDS)('faults over %s', (kind) => {
  it('fails an in-flight call when the upstream is SIGKILLed, restarts it, and the same session works again', async () => {
    const h = await start({ faulty: faultServer() });
    const server = supervisorOf(h, 'faulty');
    const client = await h.connect('faulty', kind);
    const before = await pidsOf(client);

    const states = recordStates(h.runtime.supervisor.onDidChangeState, 'faulty');
    const listChanged = new Promise<void>((resolve) => client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
    const started = waitForLog(server.logs, startedLine('slow'));
    const failure = failureOf(client.callTool({ name: 'slow', arguments: { ms: 60_000 } }));
    await started;
    process.kill(before.pid, 'SIGKILL');

    const error = await failure;
    expect(error.message).toContain('server "faulty"');
    expect(error.message).toMatch(/crashed.*SIGKILL/);

    await states.until('running');
    expect(states.states).toEqual(['crashed', 'backoff', 'starting', 'running']);
    expect(server.status()).toMatchObject({ state: 'running', restarts: 1, signal: 'SIGKILL' });
    expect(server.status().lastError).toMatch(/killed by SIGKILL/);
    // The session survived, and is told to fetch the lists of the new process.
    await listChanged;

    const after = await pidsOf(client);
    expect(after.pid).not.toBe(before.pid);
    expect(isAlive(before.pid)).toBe(false);
    expect(await echo(client, 'back again')).toBe('back again');
  });

  it('times out a call the upstream never answers, naming the server, and keeps the server running', async () => {
    const h = await start({ faulty: faultServer({ timeout: 1 }) });
    const server = supervisorOf(h, 'faulty');
    const client = await h.connect('faulty', kind);
    const states = recordStates(h.runtime.supervisor.onDidChangeState, 'faulty');

    const error = await failureOf(client.callTool({ name: 'hang' }));
    expect(error.message).toContain('server "faulty"');
    expect(error.message).toMatch(/timed out after 1 s/);

    // The upstream is told to give up on it, under the id it knows the request by.
    const started = await waitForLog(server.logs, startedLine('hang'));
    const cancelled = await waitForLog(server.logs, isCancelledLine);
    expect(cancelledParams(cancelled)).toMatchObject({ requestId: upstreamIdOf(started) });

    expect(server.state).toBe('running');
    expect(states.states).toEqual([]);
    expect(await echo(client, 'next')).toBe('next');
  });

  it('keeps garbage an upstream writes to stdout in its log, and still answers the call', async () => {
    const h = await start({ faulty: faultServer() });
    const server = supervisorOf(h, 'faulty');
    const client = await h.connect('faulty', kind);
    const clientErrors: Error[] = [];
    client.onerror = (error) => clientErrors.push(error);

    const result = await client.callTool({ name: 'garbage' });
    expect(textOf(result)).toBe('answered after garbage');

    const stdoutLines = server.logs
      .entries()
      .filter((entry) => entry.stream === 'stdout')
      .map((entry) => entry.line);
    expect(stdoutLines).toEqual(expect.arrayContaining(['this is not JSON-RPC {{{', '[1, 2, "also not a message"]']));
    // JSON that is not JSON-RPC is kept in the log too, and not passed on to the client.
    const jsonLog = server.logs.entries().find((entry) => entry.line.includes('"msg":"json log line on stdout"'));
    expect(jsonLog).toBeDefined();
    expect(clientErrors).toEqual([]);
    expect(server.state).toBe('running');
    expect(await echo(client, 'after garbage')).toBe('after garbage');
    const second = await h.connect('faulty', kind, undefined, 'second-client');
    expect(await echo(second, 'daemon lives')).toBe('daemon lives');
  });

  it('answers initialize with an error naming a command that does not exist, without hanging', async () => {
    const h = await start({ missing: { command: 'mcp-orch-test-no-such-command' }, healthy: faultServer() });

    const error = await failureOf(h.connect('missing', kind));
    expect(error.message).toContain('server "missing"');
    expect(error.message).toMatch(/mcp-orch-test-no-such-command.*command not found/);

    const healthy = await h.connect('healthy', kind);
    expect(await echo(healthy, 'unaffected')).toBe('unaffected');
  });

  it('forwards a client cancellation upstream under the upstream request id', async () => {
    const h = await start({ faulty: faultServer() });
    const server = supervisorOf(h, 'faulty');
    const client = await h.connect('faulty', kind);

    const started = waitForLog(server.logs, startedLine('hang'));
    const controller = new AbortController();
    const failure = failureOf(client.callTool({ name: 'hang' }, undefined, { signal: controller.signal }));
    const upstreamId = upstreamIdOf(await started);
    const received = waitForLog(server.logs, isCancelledLine);
    controller.abort('the user pressed stop');

    await failure;
    expect(cancelledParams(await received)).toEqual({ requestId: upstreamId, reason: 'the user pressed stop' });
    // The SDK on the upstream side acted on it: the handler's signal fired.
    await waitForLog(server.logs, (entry) => entry.line === `aborted ${upstreamId}: the user pressed stop`);
    expect(await echo(client, 'after cancel')).toBe('after cancel');
  });

  it('cancels the in-flight calls of a client that disconnects', async () => {
    const h = await start({ faulty: faultServer() });
    const server = supervisorOf(h, 'faulty');
    const client = await h.connect('faulty', kind);

    const started = waitForLog(server.logs, startedLine('hang'));
    const failure = failureOf(client.callTool({ name: 'hang' }));
    const upstreamId = upstreamIdOf(await started);
    const received = waitForLog(server.logs, isCancelledLine);
    // Streamable HTTP learns of a departure from DELETE; legacy SSE from the stream closing.
    if (kind === 'streamable') await (client.transport as StreamableHTTPClientTransport).terminateSession();
    await client.close();
    await failure;

    expect(cancelledParams(await received)).toMatchObject({ requestId: upstreamId });
    const other = await h.connect('faulty', kind, undefined, 'other-client');
    expect(await echo(other, 'still serving')).toBe('still serving');
  });
});
