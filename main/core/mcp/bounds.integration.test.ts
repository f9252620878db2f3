/**
 * What a client can make the daemon hold is bounded (docs/endpoints.md, "Bounds"): a client that
 * stops reading has its stream closed, with a log line that says why, on both transports; one
 * that reads gets large answers in full; the events kept for resumption stay within their limits,
 * and a stream the client got in full is dropped once the client moves on.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PROBE_SERVER_PATH } from '../__fixtures__/proxy-test-kit.js';
import { AUTH_HEADERS, TEST_TOKEN, fixtureServer, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';
import { pollFor } from '../__fixtures__/wait.js';

const KIB = 1024;
let harness: Harness;
const logged: string[] = [];

beforeAll(async () => {
  harness = await startHarness(
    { probe: fixtureServer(PROBE_SERVER_PATH) },
    {
      runtime: {
        streamAfterMs: 0,
        mcpLimits: {
          sendQueueChars: 256 * KIB,
          sendGraceMs: 100,
          sendHardChars: 1024 * KIB,
          replayPerSessionChars: 96 * KIB,
          replayTotalChars: 160 * KIB,
        },
      },
    },
  );
});

afterAll(async () => {
  await harness?.dispose();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Keeps what the daemon reports on stderr (the runtime runs in this process). */
function captureLog(): void {
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
}

/** A raw HTTP request on a socket that reads until `until` is seen in the answer, then stops reading. */
async function stalledRequest(request: string, until: string): Promise<{ socket: Socket; head: string }> {
  const socket = connect(harness.runtime.port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(request);
  let head = '';
  while (!head.includes(until)) {
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    head += chunk.toString();
  }
  socket.pause();
  return { socket, head };
}

const rpc = (id: number, method: string, params: Record<string, unknown>) => JSON.stringify({ jsonrpc: '2.0', id, method, params });
const blobCall = (id: number, chars: number) => rpc(id, 'tools/call', { name: 'blob', arguments: { chars } });
const initialize = (version: string) =>
  rpc(0, 'initialize', { protocolVersion: version, capabilities: {}, clientInfo: { name: 'bounds-test', version: '1' } });

async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  const response = await fetch(new URL(path, harness.runtime.url), {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TEST_TOKEN}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body,
  });
  await response.arrayBuffer();
  return response;
}

describe('a client that stops reading', () => {
  it('has its legacy SSE session closed, with a log line naming why', async () => {
    captureLog();
    const before = harness.runtime.endpoints.sessionCounts().sse;
    const { socket, head } = await stalledRequest(
      `GET /sse/probe HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TEST_TOKEN}\r\nAccept: text/event-stream\r\n\r\n`,
      'sessionId=',
    );
    try {
      const messages = /data: (\/messages\/probe\?sessionId=[\w-]+)/.exec(head)![1]!;
      expect((await post(messages, initialize('2024-11-05'))).status).toBe(202);
      for (let id = 1; id <= 40 && harness.runtime.endpoints.sessionCounts().sse > before; id++)
        await post(messages, blobCall(id, 512 * KIB));
      await pollFor('the stalled session to be closed', () => harness.runtime.endpoints.sessionCounts().sse === before);
      expect(logged.some((line) => /closing legacy SSE session .* its client is not reading/.test(line))).toBe(true);
    } finally {
      socket.destroy();
    }
  });

  it('has its Streamable HTTP stream closed, with a log line naming its session', async () => {
    captureLog();
    const opened = await fetch(new URL('/mcp/probe', harness.runtime.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: initialize('2025-11-25'),
    });
    await opened.arrayBuffer();
    const sessionId = opened.headers.get('mcp-session-id')!;
    // One call whose stream carries 100 progress events of 60 KiB each, on a socket that stops reading.
    const body = rpc(1, 'tools/call', {
      name: 'count',
      arguments: { label: 'x'.repeat(60 * KIB), steps: 100 },
      _meta: { progressToken: 'big' },
    });
    const { socket } = await stalledRequest(
      `POST /mcp/probe HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TEST_TOKEN}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n` +
        `Mcp-Session-Id: ${sessionId}\r\nMcp-Protocol-Version: 2025-11-25\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      '\r\n\r\n',
    );
    try {
      const closing = new RegExp(`closing a Streamable HTTP stream of session ${sessionId} .* its client is not reading`);
      await pollFor('the stalled stream to be closed', () => logged.some((line) => closing.test(line)));
    } finally {
      socket.destroy();
    }
  });
});

describe('a client that reads', () => {
  it('gets answers larger than the queue limit in full', async () => {
    const client = new Client({ name: 'reader', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL('/mcp/probe', harness.runtime.url), { requestInit: { headers: AUTH_HEADERS } }),
    );
    try {
      for (let i = 0; i < 3; i++) {
        const result = (await client.callTool({ name: 'blob', arguments: { chars: 2 * 1024 * KIB } })) as { content: { text: string }[] };
        expect(result.content[0]!.text.length).toBe(2 * 1024 * KIB);
      }
    } finally {
      await client.close();
    }
  });
});

describe('events kept for resumption', () => {
  it('stay within the per-session and total limits, and go once the client moves on', async () => {
    const clients = await Promise.all(
      [1, 2, 3].map(async () => {
        const client = new Client({ name: 'replay', version: '1' });
        await client.connect(
          new StreamableHTTPClientTransport(new URL('/mcp/probe', harness.runtime.url), { requestInit: { headers: AUTH_HEADERS } }),
        );
        return client;
      }),
    );
    try {
      let largest = 0;
      for (let round = 0; round < 4; round++) {
        for (const client of clients) {
          await client.callTool({ name: 'blob', arguments: { chars: 40 * KIB } });
          largest = Math.max(largest, harness.runtime.endpoints.replaySize());
        }
      }
      // Each session keeps at most its last stream: the earlier ones were acknowledged by the next call.
      expect(largest).toBeLessThanOrEqual(160 * KIB);
      expect(harness.runtime.endpoints.replaySize()).toBeLessThanOrEqual(3 * 41 * KIB);
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });
});
