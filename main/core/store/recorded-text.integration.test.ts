/**
 * What the call log keeps of names a client chose is bounded (docs/specification.md, "Bounds"): a
 * real daemon gets a method name and a tool name of 100,000 characters each, and its statistics
 * and call log stay small, with the unknown method under one label.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBE_SERVER_PATH } from '../__fixtures__/proxy-test-kit.js';
import { TEST_TOKEN, fixtureServer, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';
import { OTHER_METHOD, RECORDED_TEXT_LIMITS } from './recorded-text.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ probe: fixtureServer(PROBE_SERVER_PATH) });
});
afterAll(async () => {
  await harness?.dispose();
});

const headers = {
  authorization: `Bearer ${TEST_TOKEN}`,
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

async function rpc(body: Record<string, unknown>, sessionId?: string): Promise<Response> {
  const response = await fetch(new URL('/mcp/probe', harness.runtime.url), {
    method: 'POST',
    headers: { ...headers, ...(sessionId ? { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' } : {}) },
    body: JSON.stringify({ jsonrpc: '2.0', ...body }),
  });
  await response.arrayBuffer();
  return response;
}

async function api(path: string): Promise<string> {
  const response = await fetch(new URL(path, harness.runtime.url), { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
  expect(response.status).toBe(200);
  return response.text();
}

describe('names a client chose, in the call log', () => {
  it('are bounded, and an unknown method is counted under one label', async () => {
    const opened = await rpc({
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c'.repeat(100_000), version: '1' } },
    });
    const sessionId = opened.headers.get('mcp-session-id')!;
    for (let id = 1; id <= 5; id++) {
      await rpc({ id, method: `m${id}${'x'.repeat(100_000)}`, params: {} }, sessionId);
      await rpc({ id: 100 + id, method: 'tools/call', params: { name: `t${id}${'y'.repeat(100_000)}`, arguments: {} } }, sessionId);
    }
    harness.runtime.store.calls.flush();
    const stats = await api('/api/stats');
    const calls = await api('/api/calls?limit=100');
    // Ten calls with 100,000-character names would be over a megabyte if kept whole.
    expect(stats.length).toBeLessThan(20_000);
    expect(calls.length).toBeLessThan(40_000);
    const methods = (JSON.parse(stats) as { tools: { method: string; count: number }[] }).tools.filter(
      (group) => group.method === OTHER_METHOD,
    );
    expect(methods).toHaveLength(1);
    expect(methods[0]!.count).toBe(5);
    for (const call of (JSON.parse(calls) as { items: { tool?: string; client?: string; method: string }[] }).items) {
      expect(call.method.length).toBeLessThanOrEqual(RECORDED_TEXT_LIMITS.nameChars);
      expect((call.tool ?? '').length).toBeLessThanOrEqual(RECORDED_TEXT_LIMITS.nameChars);
      expect((call.client ?? '').length).toBeLessThanOrEqual(RECORDED_TEXT_LIMITS.nameChars);
    }
  });
});
