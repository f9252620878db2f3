/**
 * Big answers forwarded as the server wrote them (protocol/raw-response.ts): a 10 MB tool answer of
 * a real stdio server, written with spaces and its id last (raw-answer-server.mjs), reaches the
 * client byte for byte under the client's id, on `/mcp/<server>` (JSON and SSE), on `/sse/<server>`,
 * and for a 2026-07-28 request with `resultType` put in front. A daemon that parsed and serialised
 * the answer again would send other bytes. The call log still sees a tool error in a raw answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../supervisor/upstream-router.js';
import { fixtureServer, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';

const SERVER = new URL('./__fixtures__/raw-answer-server.mjs', import.meta.url).pathname;
/** JSON string text, escaped as the server writes it: quotes, an `"id":` lookalike, backslashes, non-ASCII. */
const PIECE = '\\"id\\": 1, \\\\\\" é\\u00e9😀 {[ ';
const TIMES = Math.ceil(10_000_000 / Buffer.byteLength(PIECE));
const RESULT = `{ "content" : [ { "type" : "text" , "text" : "${PIECE.repeat(TIMES)}" } ] }`;
const ERROR_RESULT = `${RESULT.slice(0, -2)} , "isError" : true }`;

let harness: Harness;
const calls: CallRecord[] = [];

beforeAll(async () => {
  harness = await startHarness({ big: fixtureServer(SERVER) }, { runtime: { streamAfterMs: 600_000 } });
  harness.runtime.supervisor.get('big')!.onDidCall((call) => calls.push(call));
});

afterAll(async () => {
  await harness?.dispose();
});

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(harness.url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });
}

function bigCall(id: string | number, args: Record<string, unknown> = { piece: PIECE, times: TIMES }): unknown {
  return { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'big', arguments: args } };
}

function expected(id: string | number, result = RESULT): Buffer {
  return Buffer.from(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${result}}`);
}

/** A Streamable HTTP session at `/mcp/big`; its headers. */
async function openSession(): Promise<Record<string, string>> {
  const init = await post('/mcp/big', {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'big-test', version: '1.0.0' } },
  });
  expect(init.status).toBe(200);
  await init.arrayBuffer();
  const headers = { 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
  expect((await post('/mcp/big', { jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).status).toBe(202);
  return headers;
}

/** The data of each SSE event in `bytes` (the daemon writes one `data:` line per event). */
function sseData(bytes: Buffer): Buffer[] {
  const events: Buffer[] = [];
  let at = 0;
  for (let end = bytes.indexOf('\n\n', at); end !== -1; at = end + 2, end = bytes.indexOf('\n\n', at)) {
    const event = bytes.subarray(at, end);
    const data = event.indexOf('data: ');
    if (data !== -1 && (data === 0 || event[data - 1] === 0x0a)) events.push(event.subarray(data + 6));
  }
  return events;
}

describe('a 10 MB answer', () => {
  it('reaches a Streamable HTTP client as JSON, byte for byte, under its own id', async () => {
    const headers = await openSession();
    const response = await post('/mcp/big', bigCall('client-"7"'), { ...headers, accept: 'application/json' });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.length).toBeGreaterThan(10_000_000);
    expect(body.equals(expected('client-"7"'))).toBe(true);
  });

  it('reaches a Streamable HTTP client as an SSE event, byte for byte', async () => {
    const headers = await openSession();
    const response = await post('/mcp/big', bigCall(8), { ...headers, accept: 'text/event-stream' });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = sseData(Buffer.from(await response.arrayBuffer()));
    expect(events.filter((data) => data.length > 0)).toHaveLength(1);
    expect(events.at(-1)!.equals(expected(8))).toBe(true);
  });

  it('reaches a legacy SSE client, byte for byte', async () => {
    const controller = new AbortController();
    const stream = await fetch(harness.url('/sse/big'), { headers: { accept: 'text/event-stream' }, signal: controller.signal });
    const reader = stream.body!.getReader();
    let received = Buffer.alloc(0);
    const nextEvent = async (): Promise<Buffer> => {
      for (;;) {
        const end = received.indexOf('\n\n');
        if (end !== -1) {
          const [data] = sseData(received.subarray(0, end + 2));
          received = received.subarray(end + 2);
          return data!;
        }
        const read = (await reader.read()) as { done: boolean; value?: Uint8Array };
        if (read.done || !read.value) throw new Error('the SSE stream ended');
        received = Buffer.concat([received, read.value]);
      }
    };
    try {
      const messages = (await nextEvent()).toString();
      const initialize = {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'big-test', version: '1.0.0' } },
      };
      expect((await post(messages, initialize)).status).toBe(202);
      await nextEvent();
      expect((await post(messages, bigCall('legacy-9'))).status).toBe(202);
      expect((await nextEvent()).equals(expected('legacy-9'))).toBe(true);
    } finally {
      controller.abort();
    }
  });

  it('reaches a 2026-07-28 client with resultType put first, the rest byte for byte', async () => {
    const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
    const response = await fetch(harness.url('/mcp/big'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'big',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 10,
        method: 'tools/call',
        params: { _meta: meta, name: 'big', arguments: { piece: PIECE, times: TIMES } },
      }),
    });
    expect(response.status).toBe(200);
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.equals(expected(10, `{"resultType":"complete",${RESULT.slice(1)}`))).toBe(true);
  });

  it('is logged as a tool error when its result says isError', async () => {
    const headers = await openSession();
    const response = await post('/mcp/big', bigCall(11, { piece: PIECE, times: TIMES, isError: true }), {
      ...headers,
      accept: 'application/json',
    });
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.equals(expected(11, ERROR_RESULT))).toBe(true);
    const call = calls.find((record) => record.method === 'tools/call' && record.error !== undefined);
    expect(call).toMatchObject({ target: 'big', ok: false, error: 'the tool reported an error' });
    expect(call!.bytesOut).toBeGreaterThan(10_000_000);
  });
});
