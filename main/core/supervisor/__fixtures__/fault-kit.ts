/**
 * Test support for the fault tests of the supervisor and the proxy: the fault fixture server, one
 * daemon per test (disposed after it, with a last check that no process a test saw is left), and
 * raw HTTP requests for what an SDK client would never send.
 */
import { fileURLToPath } from 'node:url';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, afterEach, expect } from 'vitest';
import type { ServerConfig } from '../../../../shared/config.js';
import { fixtureServer, startHarness, type Harness } from '../../__fixtures__/runtime-harness.js';
import { pollFor } from '../../__fixtures__/wait.js';
import { isAlive } from '../process-tree.js';
import type { ServerSupervisor } from '../server-supervisor.js';

const FAULT_SERVER = fileURLToPath(new URL('./fault-server.mjs', import.meta.url));
/** Short stop timeouts keep stop/restart/quit fast; the fixture exits on stdin close anyway. */
const FAST_STOP = { runtime: { supervisor: { stdinGraceMs: 200, termGraceMs: 500 } } };

export const faultServer = (extra: Partial<ServerConfig> = {}, args: string[] = []): ServerConfig =>
  fixtureServer(FAULT_SERVER, args, extra);

export interface Pids {
  pid: number;
  grandchild?: number;
}

export interface FaultSuite {
  /** Starts this test's daemon (fast stop timeouts); it is disposed after the test. */
  start: (servers: Record<string, ServerConfig>) => Promise<Harness>;
  /** Disposes this test's daemon now, as quitting would. */
  quit: () => Promise<void>;
  /** The pids of the fault server behind `client`, remembered for the check after the suite. */
  pidsOf: (client: Client) => Promise<Pids>;
}

/** Registers, in the calling file, the hooks that dispose each test's daemon and check that no process a test saw is left. */
export function faultSuite(): FaultSuite {
  let harness: Harness | undefined;
  /** Every child and grandchild PID a test saw, checked once more after the suite. */
  const seenPids = new Set<number>();
  const quit = async (): Promise<void> => {
    await harness?.dispose();
    harness = undefined;
  };
  afterEach(quit);
  afterAll(async () => {
    await pollFor(`no process of the suite is left (${[...seenPids].join(', ')})`, () => [...seenPids].every((pid) => !isAlive(pid)));
  });
  return {
    start: async (servers) => {
      harness = await startHarness(servers, FAST_STOP);
      return harness;
    },
    quit,
    pidsOf: async (client) => {
      const pids = JSON.parse(textOf(await client.callTool({ name: 'pid' }))) as Pids;
      seenPids.add(pids.pid);
      if (pids.grandchild !== undefined) seenPids.add(pids.grandchild);
      return pids;
    },
  };
}

export function supervisorOf(h: Harness, name: string): ServerSupervisor {
  const server = h.runtime.supervisor.get(name);
  if (!server) throw new Error(`no server ${name}`);
  return server;
}

export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((part) => part.text ?? '').join('');
}

export async function echo(client: Client, text: string): Promise<string> {
  return textOf(await client.callTool({ name: 'echo', arguments: { text } }));
}

/** Settles with the error a call failed with, or fails the test if it answered. */
export async function failureOf(call: Promise<unknown>): Promise<Error> {
  const outcome = await call.then(
    (result) => new Error(`expected the call to fail, but it answered ${JSON.stringify(result)}`),
    (error: unknown) => ({ error }),
  );
  if (outcome instanceof Error) throw outcome;
  expect(outcome.error).toBeInstanceOf(Error);
  return outcome.error as Error;
}

export interface RawResponse {
  status: number;
  body: unknown;
  sessionId: string | undefined;
}

export async function postJson(url: URL, body: string, headers: Record<string, string> = {}): Promise<RawResponse> {
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

export function initializeBody(id: number): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw-test', version: '1.0.0' } },
  });
}

export function errorMessageOf(body: unknown): string {
  return (body as { error?: { message?: string } }).error?.message ?? '';
}

/** Opens a legacy SSE session by hand and reads its `endpoint` event. */
export async function openRawSse(url: URL): Promise<{ endpoint: string; close: () => void }> {
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
