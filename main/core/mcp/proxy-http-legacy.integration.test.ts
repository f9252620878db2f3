/**
 * The MCP endpoints at the HTTP level, continued: JSON-RPC ids a client reuses (in one batch, or
 * while a call with the same id still runs), and the legacy SSE endpoint driven with raw requests.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSse } from '../__fixtures__/proxy-test-kit.js';
import { MAX_BODY_BYTES, initializeRequest, probeDaemon, rpcError, toolCall } from './__fixtures__/raw-mcp.js';

const probe = probeDaemon();
const { post, openSession } = probe;

describe('reused JSON-RPC ids', () => {
  const INVALID_REQUEST = -32600;

  it('answers a duplicate id inside one batch at once with an invalid-request error, and the first as usual', async () => {
    const headers = await openSession();
    const response = await post(
      [toolCall(21, 'count', { label: 'first', steps: 1 }), toolCall(21, 'count', { label: 'again', steps: 1 })],
      { ...headers, accept: 'application/json' },
    );
    expect(response.status).toBe(200);
    const answers = (await response.json()) as { id: number; result?: unknown; error?: { code: number; message: string } }[];
    expect(answers).toHaveLength(2);
    expect(answers.find((answer) => answer.result)).toEqual({
      jsonrpc: '2.0',
      id: 21,
      result: { content: [{ type: 'text', text: 'first' }] },
    });
    expect(answers.find((answer) => answer.error)).toMatchObject({
      id: 21,
      error: { code: INVALID_REQUEST, message: expect.stringContaining('21') as unknown },
    });
  });

  it('answers a POST whose id is still in flight on the session at once, and leaves the first call alone', async () => {
    const headers = await openSession('2025-11-25');
    const first = await post(toolCall(31, 'block', { label: 'dup-first' }, 'dup-progress'), headers);
    expect(first.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = first.body!.pipeThrough(new TextDecoderStream()).getReader();
    let streamed = '';
    // The server reports progress once the first call reached it: from then on id 31 is in flight.
    while (!streamed.includes('started dup-first')) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the first call's stream ended early: ${streamed}`);
      streamed += value;
    }
    const second = await post(toolCall(31, 'count', { label: 'dup-second', steps: 1 }), headers);
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ id: 31, error: { code: INVALID_REQUEST } });
    const cancelled = await post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 31, reason: 'test' } }, headers);
    expect(cancelled.status).toBe(202);
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
  });
});

describe('legacy SSE endpoint, raw', () => {
  /** Opens `GET /sse/probe` and returns the POST URL it names, the stream's further events, and a way to close it. */
  async function openLegacy(): Promise<{ messages: URL; close: () => void; next: () => Promise<{ event?: string; data: string }> }> {
    const controller = new AbortController();
    const response = await fetch(probe.harness.url('/sse/probe'), { headers: { accept: 'text/event-stream' }, signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('\n\n')) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the SSE stream ended before the endpoint event');
      text += value;
    }
    const [endpoint] = parseSse(text.slice(0, text.indexOf('\n\n') + 2));
    expect(endpoint?.event).toBe('endpoint');
    let rest = text.slice(text.indexOf('\n\n') + 2);
    const next = async (): Promise<{ event?: string; data: string }> => {
      while (!rest.includes('\n\n')) {
        const { value, done } = await reader.read();
        if (done) throw new Error('the SSE stream ended');
        rest += value;
      }
      const end = rest.indexOf('\n\n') + 2;
      const [event] = parseSse(rest.slice(0, end));
      rest = rest.slice(end);
      return event!;
    };
    return { messages: probe.harness.url(endpoint!.data), close: () => controller.abort(), next };
  }

  it('answers a session of another endpoint with 404', async () => {
    const session = await openLegacy();
    try {
      const elsewhere = await post(initializeRequest('2024-11-05'), {}, `/messages${session.messages.search}`);
      expect(elsewhere.status).toBe(404);
      await elsewhere.text();
    } finally {
      session.close();
    }
  });

  it('answers a reused id at once with an invalid-request error, and the first request as usual', async () => {
    const session = await openLegacy();
    try {
      const path = `${session.messages.pathname}${session.messages.search}`;
      expect((await post(initializeRequest('2024-11-05'), {}, path)).status).toBe(202);
      await session.next();
      const accepted = await post(
        [toolCall(41, 'count', { label: 'first', steps: 1 }), toolCall(41, 'count', { label: 'again', steps: 1 })],
        {},
        path,
      );
      expect(accepted.status).toBe(202);
      const answers = [JSON.parse((await session.next()).data), JSON.parse((await session.next()).data)] as {
        id: number;
        result?: unknown;
        error?: { code: number };
      }[];
      expect(answers.find((answer) => answer.error)).toMatchObject({ id: 41, error: { code: -32600 } });
      expect(answers.find((answer) => answer.result)).toMatchObject({ id: 41, result: { content: [{ type: 'text', text: 'first' }] } });
    } finally {
      session.close();
    }
  });

  it('answers a POST without a sessionId with 400 and one with an unknown sessionId with 404', async () => {
    const missing = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, {}, '/messages/probe');
    expect(missing.status).toBe(400);
    await missing.text();
    const unknown = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, {}, `/messages/probe?sessionId=${randomUUID()}`);
    expect(unknown.status).toBe(404);
    await unknown.text();
  });

  it('answers malformed JSON with -32700, a non-JSON-RPC value with -32600 and an oversized body with 413', async () => {
    const session = await openLegacy();
    try {
      const path = `${session.messages.pathname}${session.messages.search}`;
      const malformed = await post('{"jsonrpc":', {}, path);
      expect(malformed.status).toBe(400);
      expect((await rpcError(malformed)).error.code).toBe(-32700);
      const invalid = await post({ hello: 'world' }, {}, path);
      expect(invalid.status).toBe(400);
      expect((await rpcError(invalid)).error.code).toBe(-32600);
      const oversized = await post(
        JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { padding: 'x'.repeat(MAX_BODY_BYTES) } }),
        {},
        path,
      );
      expect(oversized.status).toBe(413);
      await oversized.text();
      const fine = await post(initializeRequest('2024-11-05'), {}, path);
      expect(fine.status).toBe(202);
      await fine.text();
    } finally {
      session.close();
    }
  });
});
