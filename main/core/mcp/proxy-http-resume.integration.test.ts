/**
 * The MCP endpoints when a client's connection drops before the answer (docs/specification.md §3):
 * a plain JSON call is cancelled upstream at once; a call switched to SSE waits for the client to
 * resume its stream (Last-Event-ID) and is cancelled only when it has not within the grace; a
 * 2026-07-28 call is cancelled as soon as its client closes the response (it cannot be resumed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSse } from '../__fixtures__/proxy-test-kit.js';
import type { Harness } from '../__fixtures__/runtime-harness.js';
import { pollFor } from '../__fixtures__/wait.js';
import { ACCEPT_BOTH, initializeRequest, probeDaemon, startProbeHarness, toolCall } from './__fixtures__/raw-mcp.js';

const probe = probeDaemon();
const { openSession } = probe;

interface ProbeRecord {
  cancelled: { label: string; reason: string }[];
  started: string[];
}

/** What the probe server of `h` has seen: block calls started and cancelled (asked straight, not through a session). */
async function probeRecord(h: Harness): Promise<ProbeRecord> {
  const response = await h.runtime.supervisor
    .get('probe')!
    .forward({ jsonrpc: '2.0', id: 'record', method: 'tools/call', params: { name: 'cancellations', arguments: {} } }, undefined);
  if (!response || !('result' in response)) throw new Error(`the probe did not answer: ${JSON.stringify(response)}`);
  return response.result.structuredContent as ProbeRecord;
}

/** Starts a `block` call whose connection the returned controller drops; resolves once the server runs it. */
async function blockingCall(
  h: Harness,
  headers: Record<string, string>,
  id: number,
  label: string,
): Promise<{ response: Promise<Response>; drop: AbortController }> {
  const drop = new AbortController();
  const response = fetch(h.url('/mcp/probe'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: ACCEPT_BOTH, ...headers },
    body: JSON.stringify(toolCall(id, 'block', { label })),
    signal: drop.signal,
  });
  response.catch(() => undefined);
  await pollFor(`${label} started upstream`, async () => (await probeRecord(h)).started.includes(label));
  return { response, drop };
}

describe('a client that leaves before the JSON answer', () => {
  it('has its call cancelled upstream at once: nobody can get that answer any more', async () => {
    const headers = await openSession();
    const { drop } = await blockingCall(probe.harness, headers, 61, 'left before JSON');
    drop.abort();
    const seen = await pollFor('the call is cancelled upstream', async () =>
      (await probeRecord(probe.harness)).cancelled.find((entry) => entry.label === 'left before JSON'),
    );
    expect(seen.reason).toMatch(/the client disconnected before the answer/);
  });
});

describe('a 2026-07-28 client that closes its response', () => {
  it('has its call cancelled upstream at once: closing the response is its cancellation', async () => {
    const label = 'a 2026 call left';
    const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
    const drop = new AbortController();
    const response = fetch(probe.harness.url('/mcp/probe'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: ACCEPT_BOTH,
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'block',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 71, method: 'tools/call', params: { name: 'block', arguments: { label }, _meta: meta } }),
      signal: drop.signal,
    });
    response.catch(() => undefined);
    await pollFor(`${label} started upstream`, async () => (await probeRecord(probe.harness)).started.includes(label));
    drop.abort();
    const seen = await pollFor('the call is cancelled upstream', async () =>
      (await probeRecord(probe.harness)).cancelled.find((entry) => entry.label === label),
    );
    expect(seen.reason).toMatch(/the client closed the response before the answer/);
  });
});

describe('a call that takes longer than the switch to SSE', () => {
  /** Longer than a resumption here takes, however loaded the machine; short, as the tests wait it out. */
  const RESUME_GRACE_MS = 1_000;
  let quick: Harness;

  beforeAll(async () => {
    quick = await startProbeHarness({ streamAfterMs: 0, mcpLimits: { resumeGraceMs: RESUME_GRACE_MS } });
  });

  afterAll(async () => {
    await quick?.dispose();
  });

  it('becomes a primed SSE stream the client could resume, and ends when the call does', async () => {
    const send = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(quick.url('/mcp/probe'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: ACCEPT_BOTH, ...headers },
        body: JSON.stringify(body),
      });
    const opened = await send(initializeRequest('2025-11-25'));
    await opened.text();
    const headers = { 'mcp-session-id': opened.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
    await (await send({ jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).text();
    const slow = await send(toolCall(51, 'block', { label: 'slow' }), headers);
    expect(slow.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = slow.body!.pipeThrough(new TextDecoderStream()).getReader();
    const { value } = await reader.read();
    expect(parseSse(value!)[0]).toMatchObject({
      id: expect.stringMatching(/\S/) as unknown,
      retry: expect.stringMatching(/^\d+$/) as unknown,
    });
    await (await send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 51 } }, headers)).text();
    for (;;) if ((await reader.read()).done) break;
  });

  /** An initialised 2025-11-25 session on `quick`. */
  const quickSession = async (): Promise<Record<string, string>> => {
    const opened = await fetch(quick.url('/mcp/probe'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: ACCEPT_BOTH },
      body: JSON.stringify(initializeRequest('2025-11-25')),
    });
    await opened.text();
    const headers = { 'mcp-session-id': opened.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
    await (
      await fetch(quick.url('/mcp/probe'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: ACCEPT_BOTH, ...headers },
        body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      })
    ).text();
    return headers;
  };

  it('cancels upstream the call of a client that dropped its stream and did not resume it within the grace', async () => {
    const headers = await quickSession();
    const { drop } = await blockingCall(quick, headers, 71, 'dropped for good');
    drop.abort();
    const seen = await pollFor(
      'the call is cancelled upstream',
      async () => (await probeRecord(quick)).cancelled.find((entry) => entry.label === 'dropped for good'),
      RESUME_GRACE_MS + 10_000,
    );
    expect(seen.reason).toMatch(/the client disconnected and did not resume within 1000 ms/);
  });

  it('leaves the call of a client that resumed its stream within the grace running, on the resumed stream', async () => {
    const headers = await quickSession();
    const { response, drop } = await blockingCall(quick, headers, 72, 'resumed');
    const reader = (await response).body!.pipeThrough(new TextDecoderStream()).getReader();
    const priming = parseSse((await reader.read()).value!)[0]!;
    await reader.cancel();
    drop.abort();
    // As a client would, it tries again while the daemon has not yet seen the old connection go (409).
    const resumed = await pollFor('the stream is resumed', async () => {
      const attempt = await fetch(quick.url('/mcp/probe'), {
        headers: { accept: 'text/event-stream', 'last-event-id': priming.id!, ...headers },
      });
      if (attempt.status === 200) return attempt;
      expect(attempt.status).toBe(409);
      await attempt.body?.cancel();
      return undefined;
    });
    // Past the grace, the call still runs: the client came back. "Past the grace" is an event, not a
    // clock: a call dropped for good after the resumption is cancelled by its own grace timer, which
    // was started later than any timer of the resumed call and lasts as long.
    const later = await blockingCall(quick, headers, 73, 'dropped after the resumption');
    later.drop.abort();
    await pollFor('the later dropped call is cancelled upstream', async () =>
      (await probeRecord(quick)).cancelled.some((entry) => entry.label === 'dropped after the resumption'),
    );
    expect((await probeRecord(quick)).cancelled.map((entry) => entry.label)).not.toContain('resumed');
    await (
      await fetch(quick.url('/mcp/probe'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: ACCEPT_BOTH, ...headers },
        body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 72, reason: 'done waiting' } }),
      })
    ).text();
    const seen = await pollFor('the client’s own cancel reaches the server', async () =>
      (await probeRecord(quick)).cancelled.find((entry) => entry.label === 'resumed'),
    );
    expect(seen.reason).toMatch(/done waiting/);
    await resumed.body?.cancel();
  });
});
