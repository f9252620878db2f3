/**
 * Test support: raw HTTP requests to the MCP endpoints of a harness daemon's probe server, as the
 * proxy-http tests send them (requests an SDK client would never send, sessions opened by hand).
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { PROBE_SERVER_PATH } from '../../__fixtures__/proxy-test-kit.js';
import type { RuntimeOptions } from '../../runtime.js';
import { fixtureServer, startHarness, type Harness } from '../../__fixtures__/runtime-harness.js';

export const MAX_BODY_BYTES = 4 * 1024 * 1024;
export const ACCEPT_BOTH = 'application/json, text/event-stream';

/**
 * A daemon with the probe server. Whether a call is answered as JSON or as SSE must not depend on
 * how fast this machine is: by default only a call that streams something switches to SSE.
 */
export function startProbeHarness(runtime: Partial<RuntimeOptions> = { streamAfterMs: 600_000 }): Promise<Harness> {
  return startHarness({ probe: fixtureServer(PROBE_SERVER_PATH) }, { runtime });
}

export interface RpcErrorBody {
  jsonrpc: string;
  id: unknown;
  error: { code: number; message: string };
}

export function initializeRequest(protocolVersion: string): unknown {
  return {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion, capabilities: {}, clientInfo: { name: 'raw-http-test', version: '1.0.0' } },
  };
}

export function toolCall(id: number, name: string, args: Record<string, unknown>, progressToken?: string): unknown {
  return {
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name, arguments: args, ...(progressToken ? { _meta: { progressToken } } : {}) },
  };
}

export async function rpcError(response: Response): Promise<RpcErrorBody> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as RpcErrorBody;
}

export interface RawMcp {
  /** POSTs to `/mcp/probe` (or `path`); a string body is sent as is, anything else as JSON. */
  post: (body: unknown, headers?: Record<string, string>, path?: string) => Promise<Response>;
  /** A fully initialised Streamable HTTP session; returns the headers to send with it. */
  openSession: (protocolVersion?: string) => Promise<Record<string, string>>;
}

/** Raw requests to the daemon of `harness()` (a function: the harness starts in a `beforeAll`). */
export function rawMcp(harness: () => Harness): RawMcp {
  const post: RawMcp['post'] = (body, headers = {}, path = '/mcp/probe') =>
    fetch(harness().url(path), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: ACCEPT_BOTH, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const openSession: RawMcp['openSession'] = async (protocolVersion = '2025-11-25') => {
    const response = await post(initializeRequest(protocolVersion));
    expect(response.status).toBe(200);
    await response.text();
    const sessionId = response.headers.get('mcp-session-id');
    expect(sessionId).toBeTruthy();
    const headers = { 'mcp-session-id': sessionId!, 'mcp-protocol-version': protocolVersion };
    const initialized = await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
    expect(initialized.status).toBe(202);
    return headers;
  };
  return { post, openSession };
}

/**
 * Registers, in the calling file, hooks that start a probe daemon (`startProbeHarness`) before its
 * tests and dispose of it after; its `harness` may be read once they run.
 */
export function probeDaemon(): RawMcp & { readonly harness: Harness } {
  let harness: Harness | undefined;
  const started = (): Harness => {
    if (!harness) throw new Error('the probe daemon is not started yet');
    return harness;
  };
  beforeAll(async () => {
    harness = await startProbeHarness();
  });
  afterAll(async () => {
    await harness?.dispose();
  });
  return {
    ...rawMcp(started),
    get harness() {
      return started();
    },
  };
}
