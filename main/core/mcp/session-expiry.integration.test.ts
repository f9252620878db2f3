/**
 * Sessions a client abandons without DELETE expire after `orch.sessionIdleMinutes`: nothing leaks,
 * and the client's next request gets 404 (so it starts a new session).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleServer, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';
import { pollFor } from '../__fixtures__/wait.js';

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('idle session expiry', () => {
  let harness: Harness;

  beforeAll(async () => {
    // 0.01 minutes = 600 ms idle; the sweep runs every second.
    harness = await startHarness({ example: exampleServer() }, { orch: { sessionIdleMinutes: 0.01 } });
  });

  afterAll(async () => {
    await harness.dispose();
  });

  it('closes a Streamable session nobody uses any more', async () => {
    const initialize = await fetch(harness.url('/mcp/example'), {
      method: 'POST',
      headers: HEADERS,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'idle', version: '1' } },
      }),
    });
    expect(initialize.status).toBe(200);
    const sessionId = initialize.headers.get('mcp-session-id')!;
    await initialize.text();

    const ping = () =>
      fetch(harness.url('/mcp/example'), {
        method: 'POST',
        headers: { ...HEADERS, 'mcp-session-id': sessionId },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
      });
    // Watching the count is not activity; a request would be. (Whether a request made now would
    // still find the session depends on how fast this machine is, so none is made until it expired.)
    await pollFor('the idle session to expire', () => (harness.runtime.endpoints.sessionCounts().streamable === 0 ? true : undefined));
    const after = await ping();
    expect(after.status).toBe(404);
    await after.text();
  });
});
