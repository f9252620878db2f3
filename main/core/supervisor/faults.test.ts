/**
 * Fault tests of the supervisor and the proxy, through the real runtime: real stdio children, real
 * SDK clients over real HTTP on 127.0.0.1. Each test starts its own daemon and disposes it.
 */
import { fileURLToPath } from 'node:url';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TRANSPORT_KINDS, fixtureServer, recordStates, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';
import type { ServerConfig } from '../../../shared/config.js';
import type { LogEntry } from './log-buffer.js';
import { isAlive } from './process-tree.js';
import type { ServerSupervisor } from './server-supervisor.js';
import { pollFor, waitForLog } from '../__fixtures__/wait.js';

const FAULT_SERVER = fileURLToPath(new URL('./__fixtures__/fault-server.mjs', import.meta.url));
/** Short stop timeouts keep stop/restart/quit fast; the fixture exits on stdin close anyway. */
const FAST_STOP = { runtime: { supervisor: { stdinGraceMs: 200, termGraceMs: 500 } } };

const faultServer = (extra: Partial<ServerConfig> = {}, args: string[] = []): ServerConfig => fixtureServer(FAULT_SERVER, args, extra);

let harness: Harness | undefined;
/** Every child and grandchild PID a test saw, checked once more after the suite. */
const seenPids = new Set<number>();

afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

afterAll(async () => {
  await pollFor(`no process of the suite is left (${[...seenPids].join(', ')})`, () => [...seenPids].every((pid) => !isAlive(pid)));
});

async function start(servers: Record<string, ServerConfig>): Promise<Harness> {
  harness = await startHarness(servers, FAST_STOP);
  return harness;
}

function supervisorOf(h: Harness, name: string): ServerSupervisor {
  const server = h.runtime.supervisor.get(name);
  if (!server) throw new Error(`no server ${name}`);
  return server;
}

function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((part) => part.text ?? '').join('');
}

async function echo(client: Client, text: string): Promise<string> {
  return textOf(await client.callTool({ name: 'echo', arguments: { text } }));
}

interface Pids {
  pid: number;
  grandchild?: number;
}

async function pidsOf(client: Client): Promise<Pids> {
  const pids = JSON.parse(textOf(await client.callTool({ name: 'pid' }))) as Pids;
  seenPids.add(pids.pid);
  if (pids.grandchild !== undefined) seenPids.add(pids.grandchild);
  return pids;
}

/** Settles with the error a call failed with, or fails the test if it answered. */
async function failureOf(call: Promise<unknown>): Promise<Error> {
  const outcome = await call.then(
    (result) => new Error(`expected the call to fail, but it answered ${JSON.stringify(result)}`),
    (error: unknown) => ({ error }),
  );
  if (outcome instanceof Error) throw outcome;
  expect(outcome.error).toBeInstanceOf(Error);
  return outcome.error as Error;
}

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

describe('a server that cannot start', () => {
  it('is failed with the spawn error, and other servers are unaffected', async () => {
    const h = await start({
      missing: { command: 'mcp-orch-test-no-such-command' },
      'missing-path': { command: '/nonexistent/mcp-orch/server' },
      healthy: faultServer(),
    });
    const missing = supervisorOf(h, 'missing');
    expect(missing.state).toBe('failed');
    expect(missing.status().lastError).toMatch(/cannot start "mcp-orch-test-no-such-command": command not found/);
    const missingPath = supervisorOf(h, 'missing-path');
    expect(missingPath.state).toBe('failed');
    expect(missingPath.status().lastError).toMatch(/cannot start "\/nonexistent\/mcp-orch\/server": .*(no such file|not found)/);
    expect(supervisorOf(h, 'healthy').state).toBe('running');

    // The raw exchange: one JSON-RPC error answer to initialize, not a hang and not a 5xx.
    const response = await postJson(h.url('/mcp/missing'), initializeBody(1));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ jsonrpc: '2.0', id: 1, error: { code: -32000 } });
    expect(errorMessageOf(response.body)).toMatch(/server "missing".*command not found/);
  });
});

describe('a server that exits during startup', () => {
  it('does not hold up the daemon: it is retried with backoff, its stderr kept, other servers serve', async () => {
    const exits = {
      command: process.execPath,
      args: ['-e', "process.stderr.write('missing GITHUB_TOKEN\\n'); process.exit(1)"],
      timeout: 1,
    };
    const h = await start({ exits, healthy: faultServer() });
    const server = supervisorOf(h, 'exits');
    const states = recordStates(server.onDidChangeState);
    // Whatever attempt it is in, it ends in backoff again (or failed, on a very slow machine).
    if (server.state !== 'backoff' && server.state !== 'failed') await states.until('backoff');

    expect(server.status().lastError).toMatch(/exited unexpectedly: exited with code 1/);
    expect(server.logs.entries().map((entry) => entry.line)).toContain('missing GITHUB_TOKEN');
    const healthy = await h.connect('healthy', 'streamable');
    expect(await echo(healthy, 'unaffected')).toBe('unaffected');
  });
});

describe('malformed JSON-RPC from a client', () => {
  const hugeId = 'x'.repeat(5 * 1024 * 1024);
  /** Each body, and the HTTP status and JSON-RPC error code it must get. */
  const cases: [string, string, number, number][] = [
    ['invalid JSON', '{"jsonrpc": "2.0", "id": 1, "method": ', 400, -32700],
    ['a JSON array of garbage', '[1, "two", null, {"no": "method"}]', 400, -32600],
    ['an empty batch', '[]', 400, -32600],
    ['a bare string', '"hello"', 400, -32600],
    ['the wrong jsonrpc version', '{"jsonrpc": "1.0", "id": 1, "method": "tools/list"}', 400, -32600],
    ['an object as id', '{"jsonrpc": "2.0", "id": {"a": 1}, "method": "tools/list"}', 400, -32600],
    ['params that are not an object', '{"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": "oops"}', 400, -32600],
    ['an empty method', '{"jsonrpc": "2.0", "id": 1, "method": ""}', 400, -32600],
    ['a huge string id', JSON.stringify({ jsonrpc: '2.0', id: hugeId, method: 'tools/list' }), 413, -32600],
  ];

  it('gets JSON-RPC errors with 4xx on both transports, and the daemon keeps serving real clients', async () => {
    const h = await start({ faulty: faultServer() });

    // Streamable HTTP, before a session exists.
    for (const [what, body, status, code] of cases) {
      const response = await postJson(h.url('/mcp/faulty'), body);
      expect({ what, status: response.status, body: response.body }).toMatchObject({
        what,
        status,
        body: { jsonrpc: '2.0', error: { code } },
      });
    }

    // Streamable HTTP, inside a session: garbage does not end it.
    const opened = await postJson(h.url('/mcp/faulty'), initializeBody(1));
    expect(opened.status).toBe(200);
    const sessionId = opened.sessionId;
    expect(sessionId).toBeTruthy();
    const inSession = { 'mcp-session-id': sessionId ?? '' };
    for (const [what, body, status, code] of cases) {
      const response = await postJson(h.url('/mcp/faulty'), body, inSession);
      expect({ what, status: response.status, body: response.body }).toMatchObject({
        what,
        status,
        body: { jsonrpc: '2.0', error: { code } },
      });
    }
    const listed = await postJson(h.url('/mcp/faulty'), JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), inSession);
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ jsonrpc: '2.0', id: 2, result: { tools: expect.any(Array) as unknown } });

    // Legacy SSE: the messages endpoint of an open session.
    const sse = await openRawSse(h.url('/sse/faulty'));
    try {
      for (const [what, body, status, code] of cases) {
        const response = await postJson(h.url(sse.endpoint), body);
        expect({ what, status: response.status, body: response.body }).toMatchObject({
          what,
          status,
          body: { jsonrpc: '2.0', error: { code } },
        });
      }
    } finally {
      sse.close();
    }

    for (const kind of TRANSPORT_KINDS) {
      const client = await h.connect('faulty', kind);
      expect(await echo(client, `still fine over ${kind}`)).toBe(`still fine over ${kind}`);
    }
    expect(supervisorOf(h, 'faulty').state).toBe('running');
  });
});

describe('no orphans', () => {
  it('leaves no child or grandchild after stop, restart and quit', async () => {
    const h = await start({ tree: faultServer({}, ['--grandchild']) });
    const server = supervisorOf(h, 'tree');
    const client = await h.connect('tree', 'streamable');
    const alive = (pids: Pids): boolean[] => [isAlive(pids.pid), isAlive(pids.grandchild ?? -1)];

    const first = await pidsOf(client);
    expect(first.grandchild).toBeTypeOf('number');
    expect(alive(first)).toEqual([true, true]);

    await server.stop();
    expect(server.state).toBe('stopped');
    expect(alive(first)).toEqual([false, false]);

    await server.start();
    const second = await pidsOf(client);
    expect(alive(second)).toEqual([true, true]);

    await server.restart();
    expect(server.state).toBe('running');
    expect(alive(second)).toEqual([false, false]);
    const third = await pidsOf(client);
    expect(third.pid).not.toBe(second.pid);
    expect(alive(third)).toEqual([true, true]);

    await h.dispose();
    harness = undefined;
    expect(alive(third)).toEqual([false, false]);
  });

  it('leaves nothing behind when quitting while a server waits to restart', async () => {
    const h = await start({ faulty: faultServer() });
    const server = supervisorOf(h, 'faulty');
    const client = await h.connect('faulty', 'sse');
    const { pid } = await pidsOf(client);
    const states = recordStates(server.onDidChangeState);

    const error = await failureOf(client.callTool({ name: 'crash' }));
    expect(error.message).toMatch(/server "faulty" crashed \(exited with code 1\)/);
    await states.until('backoff');
    expect(isAlive(pid)).toBe(false);

    await h.dispose();
    harness = undefined;
    expect(server.state).toBe('stopped');
    expect(states.states.slice(0, 2)).toEqual(['crashed', 'backoff']);
    expect(states.states.at(-1)).toBe('stopped');
  });
});

interface RawResponse {
  status: number;
  body: unknown;
  sessionId: string | undefined;
}

async function postJson(url: URL, body: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as unknown) : undefined,
    sessionId: response.headers.get('mcp-session-id') ?? undefined,
  };
}

function initializeBody(id: number): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw-test', version: '1.0.0' } },
  });
}

function errorMessageOf(body: unknown): string {
  return (body as { error?: { message?: string } }).error?.message ?? '';
}

/** Opens a legacy SSE session by hand and reads its `endpoint` event. */
async function openRawSse(url: URL): Promise<{ endpoint: string; close: () => void }> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
  if (!response.body) throw new Error('no SSE body');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the SSE stream ended before its endpoint event: ${buffered}`);
    buffered += value;
    const match = /event: endpoint\ndata: (\S+)\n\n/.exec(buffered);
    if (match) {
      return {
        endpoint: match[1]!,
        close: () => {
          reader.cancel().catch(() => undefined);
          controller.abort();
        },
      };
    }
  }
}
