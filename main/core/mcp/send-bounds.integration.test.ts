/**
 * What clients that stop reading can make the daemon hold is bounded per stream, per session and in
 * total, over JSON answers and SSE streams, on both transports and the aggregate (docs/endpoints.md,
 * "Bounds"): raw sockets that never read, against a real daemon and a real stdio server.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PROBE_SERVER_PATH } from '../__fixtures__/proxy-test-kit.js';
import { AUTH_HEADERS, TEST_TOKEN, fixtureServer, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';
import type { McpLimits } from './limits.js';

const MIB = 1024 * 1024;
// The kernel takes up to 4 MiB of a socket's output on these machines (net.ipv4.tcp_wmem): a single
// answer larger than that waits in the daemon whole. Every answer below is at least 5 MiB.
const logged: string[] = [];
const sockets: Socket[] = [];

afterEach(() => {
  vi.restoreAllMocks();
  logged.length = 0;
  for (const socket of sockets.splice(0)) socket.destroy();
});

/** Keeps what the daemon reports on stderr (the runtime runs in this process). */
function captureLog(): void {
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
}

/** A daemon whose answers stay plain JSON unless something is streamed before them (or, with `streamAfterMs: 0`, always stream). */
async function daemon(limits: Partial<McpLimits>, streamAfterMs = 60_000): Promise<Harness> {
  return startHarness({ probe: fixtureServer(PROBE_SERVER_PATH) }, { runtime: { streamAfterMs, mcpLimits: limits } });
}

const rpc = (id: number, method: string, params: Record<string, unknown>) => JSON.stringify({ jsonrpc: '2.0', id, method, params });
const initialize = rpc(0, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bounds', version: '1' } });

/** Opens a Streamable HTTP session at `path` with a client that reads; its id. */
async function openSession(harness: Harness, path: string): Promise<string> {
  const response = await fetch(new URL(path, harness.runtime.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: initialize,
  });
  await response.arrayBuffer();
  return response.headers.get('mcp-session-id')!;
}

/** Sends one POST of `body` on a raw socket that never reads its answer. */
async function stalledPost(harness: Harness, path: string, sessionId: string, body: string): Promise<Socket> {
  const socket = connect(harness.runtime.port, '127.0.0.1');
  sockets.push(socket);
  await once(socket, 'connect');
  socket.pause();
  socket.on('error', () => {});
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TEST_TOKEN}\r\nContent-Type: application/json\r\n` +
      `Accept: application/json, text/event-stream\r\nMcp-Session-Id: ${sessionId}\r\nMcp-Protocol-Version: 2025-11-25\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  return socket;
}

const blob = (id: number, chars: number) => rpc(id, 'tools/call', { name: 'blob', arguments: { chars } });

describe('streams and sessions of clients that stop reading', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await daemon({ sendQueueChars: 6 * MIB, sendGraceMs: 200, sendHardChars: 64 * MIB, sendSessionChars: 16 * MIB });
  });
  afterAll(async () => {
    await harness?.dispose();
  });

  it('closes one unread JSON answer over the stream bound, and keeps its session', async () => {
    captureLog();
    const sessionId = await openSession(harness, '/mcp/probe');
    const sessions = harness.runtime.endpoints.sessionCounts().streamable;
    const socket = await stalledPost(harness, '/mcp/probe', sessionId, blob(1, 10 * MIB));
    await vi.waitFor(() => expect(logged.join('\n')).toMatch(/closing a Streamable HTTP stream of session/), { timeout: 10_000 });
    expect(logged.join('\n')).toContain(sessionId);
    expect(logged.join('\n')).toMatch(/10\.0 MB waiting to be sent/);
    await vi.waitFor(() => expect(harness.runtime.endpoints.unsentSize()).toBe(0), { timeout: 5_000 });
    // The client that reads again finds its connection closed by the daemon.
    socket.resume();
    await once(socket, 'close');
    expect(harness.runtime.endpoints.sessionCounts().streamable).toBe(sessions);
  });

  it('closes a session whose many unread answers together pass the session bound', async () => {
    captureLog();
    const sessionId = await openSession(harness, '/mcp/probe');
    const sessions = harness.runtime.endpoints.sessionCounts().streamable;
    // Each answer is under the stream bound; five of them are over the session's.
    for (let id = 1; id <= 5; id++) await stalledPost(harness, '/mcp/probe', sessionId, blob(id, 5 * MIB));
    await vi.waitFor(() => expect(harness.runtime.endpoints.sessionCounts().streamable).toBe(sessions - 1), { timeout: 10_000 });
    expect(logged.join('\n')).toMatch(new RegExp(`closing Streamable HTTP session ${sessionId} .*MB waiting to be sent on \\d+ streams`));
    await vi.waitFor(() => expect(harness.runtime.endpoints.unsentSize()).toBe(0), { timeout: 5_000 });
  });

  it('cancels upstream the call of an unread SSE stream it closes', async () => {
    captureLog();
    const sessionId = await openSession(harness, '/mcp/probe');
    const label = `stalled-${Date.now()}`;
    // `block` streams its label and 10 MiB of padding as progress, then waits for a cancellation.
    await stalledPost(
      harness,
      '/mcp/probe',
      sessionId,
      rpc(1, 'tools/call', { name: 'block', arguments: { label, pad: 10 * MIB }, _meta: { progressToken: 'p' } }),
    );
    await vi.waitFor(() => expect(logged.join('\n')).toMatch(/closing a Streamable HTTP stream of session/), { timeout: 10_000 });
    const reader = await openSession(harness, '/mcp/probe');
    const response = await fetch(new URL('/mcp/probe', harness.runtime.url), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TEST_TOKEN}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': reader,
        'mcp-protocol-version': '2025-11-25',
      },
      body: rpc(7, 'tools/call', { name: 'cancellations', arguments: {} }),
    });
    const answer = (await response.json()) as { result: { structuredContent: { cancelled: { label: string; reason: string }[] } } };
    const cancelled = answer.result.structuredContent.cancelled.find((entry) => entry.label === label);
    expect(cancelled?.reason).toMatch(/stopped reading/);
  });
});

describe('the total over every endpoint and transport', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await daemon({
      sendQueueChars: 64 * MIB,
      sendGraceMs: 200,
      sendHardChars: 64 * MIB,
      sendSessionChars: 64 * MIB,
      sendTotalChars: 16 * MIB,
    });
  });
  afterAll(async () => {
    await harness?.dispose();
  });

  it('closes the sessions holding the most until the rest fit, the aggregate and legacy SSE counted together', async () => {
    captureLog();
    // A legacy SSE session that stops reading, holding 5 MiB…
    const sse = connect(harness.runtime.port, '127.0.0.1');
    sockets.push(sse);
    await once(sse, 'connect');
    sse.write(`GET /sse/probe HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TEST_TOKEN}\r\nAccept: text/event-stream\r\n\r\n`);
    let head = '';
    while (!head.includes('sessionId=')) head += String(((await once(sse, 'data')) as [Buffer])[0]);
    sse.pause();
    const messages = /data: (\/messages\/probe\?sessionId=[\w-]+)/.exec(head)![1]!;
    const post = (body: string) =>
      fetch(new URL(messages, harness.runtime.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
        body,
      }).then((response) => response.arrayBuffer());
    await post(rpc(0, 'initialize', { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'sse', version: '1' } }));
    await post(blob(1, 5 * MIB));
    // …an aggregate session holding 10 MiB and another server's session holding 5 MiB: 20 MiB in all.
    const aggregate = await openSession(harness, '/mcp');
    await stalledPost(harness, '/mcp', aggregate, rpc(1, 'tools/call', { name: 'probe__blob', arguments: { chars: 10 * MIB } }));
    const single = await openSession(harness, '/mcp/probe');
    await stalledPost(harness, '/mcp/probe', single, blob(1, 5 * MIB));
    await vi.waitFor(() => expect(logged.join('\n')).toMatch(/all clients together held/), { timeout: 10_000 });
    // Closing the largest (the aggregate's 10 MiB) brings the rest within 16 MiB: the others stay.
    const closings = logged.filter((line) => line.includes('all clients together held'));
    expect(closings).toHaveLength(1);
    expect(closings[0]).toContain(aggregate);
    await vi.waitFor(() => expect(harness.runtime.endpoints.unsentSize()).toBeLessThanOrEqual(16 * MIB), { timeout: 5_000 });
    expect(harness.runtime.endpoints.sessionCounts().sse).toBe(1);
  });
});

describe('one answer larger than every bound, to a client that reads', () => {
  for (const streamAfterMs of [0, 60_000]) {
    it(`arrives whole (${streamAfterMs === 0 ? 'an SSE stream' : 'plain JSON'}): only what waits behind a message counts at once`, async () => {
      const harness = await daemon(
        { sendQueueChars: 4 * MIB, sendGraceMs: 10_000, sendHardChars: 8 * MIB, sendSessionChars: 4 * MIB },
        streamAfterMs,
      );
      const client = new Client({ name: 'reader', version: '1' });
      try {
        await client.connect(
          new StreamableHTTPClientTransport(new URL('/mcp/probe', harness.runtime.url), { requestInit: { headers: AUTH_HEADERS } }),
        );
        const result = (await client.callTool({ name: 'blob', arguments: { chars: 20 * MIB } })) as { content: { text: string }[] };
        expect(result.content[0]!.text.length).toBe(20 * MIB);
      } finally {
        await client.close();
        await harness.dispose();
      }
    });
  }
});
