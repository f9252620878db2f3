/**
 * Test support: a real runtime on 127.0.0.1 port 0 with a config file in a temp dir, real SDK
 * clients over real HTTP, and the real MCP servers from npm. Everything started is disposed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as realSetTimeout } from 'node:timers';
import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ConfigFile, ServerConfig } from '../../../shared/config.js';
import type { Event } from '../events/emitter.js';
import { createRuntime, type Runtime, type RuntimeOptions } from '../runtime.js';
import type { ServerState, ServerStatus, StateChange } from '../supervisor/server-supervisor.js';

const require = createRequire(import.meta.url);

/** The bootstrap admin token every harness daemon accepts (`MCP_ORCH_TOKEN`). */
export const TEST_TOKEN = 'test-admin-token-0123456789abcdef';
/** The header an SDK client sends to authenticate with `TEST_TOKEN`. */
export const AUTH_HEADERS = { Authorization: `Bearer ${TEST_TOKEN}` };

/** `@modelcontextprotocol/server-everything` over stdio. */
export function everythingServer(extra: Partial<ServerConfig> = {}): ServerConfig {
  return { command: process.execPath, args: [require.resolve('@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'], ...extra };
}

/** `@modelcontextprotocol/server-memory` over stdio, with its memory file in `dir`. */
export function memoryServer(dir: string, extra: Partial<ServerConfig> = {}): ServerConfig {
  return {
    command: process.execPath,
    args: [require.resolve('@modelcontextprotocol/server-memory/dist/index.js')],
    env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') },
    ...extra,
  };
}

/** The example server of the default configuration. */
export function exampleServer(extra: Partial<ServerConfig> = {}): ServerConfig {
  return { command: process.execPath, args: [new URL('../../../resources/example-server.mjs', import.meta.url).pathname], ...extra };
}

/** A plain .mjs fixture of this repo, spawned with the current node. */
export function fixtureServer(path: string, args: string[] = [], extra: Partial<ServerConfig> = {}): ServerConfig {
  return { command: process.execPath, args: [path, ...args], ...extra };
}

export interface Harness {
  runtime: Runtime;
  dir: string;
  configPath: string;
  /** Absolute URL of a path on the daemon, authenticated with `?access_token=` (for raw requests). */
  url(path: string): URL;
  /** Absolute URL of a path on the daemon, without credentials. */
  bareUrl(path: string): URL;
  /** Connects an SDK client to `/mcp/<server>` (streamable) or `/sse/<server>` (sse). */
  connect(server: string, kind: TransportKind, options?: ClientOptions, clientName?: string): Promise<Client>;
  /** Connects an SDK client to the aggregated endpoint: `/mcp` (streamable) or `/sse` (sse). */
  connectAggregate(kind: TransportKind, options?: ClientOptions, clientName?: string): Promise<Client>;
  dispose(): Promise<void>;
}

export type TransportKind = 'streamable' | 'sse';
export const TRANSPORT_KINDS: TransportKind[] = ['streamable', 'sse'];

export async function startHarness(
  servers: Record<string, ServerConfig> | ((dir: string) => Record<string, ServerConfig>),
  options: { orch?: ConfigFile['orch']; runtime?: Partial<RuntimeOptions>; env?: Record<string, string> } = {},
): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-orch-test-'));
  const configPath = join(dir, 'mcp-config.json');
  const file: ConfigFile = {
    mcpServers: typeof servers === 'function' ? servers(dir) : servers,
    ...(options.orch ? { orch: options.orch } : {}),
  };
  await writeFile(configPath, JSON.stringify(file, null, 2));
  const runtime = await createRuntime({
    configPath,
    port: 0,
    host: '127.0.0.1',
    logDir: join(dir, 'logs'),
    databasePath: join(dir, 'mcp-orch.db'),
    env: {
      ...process.env,
      MCP_ORCH_LOGIN_SHELL_PATH: '0',
      MCP_ORCH_TOKEN: TEST_TOKEN,
      MCP_ORCH_HOME: dir,
      MCP_ORCH_SECRETS_FILE: join(dir, 'secrets.json'),
      ...options.env,
    },
    ...options.runtime,
  });
  await runtime.ready;
  const clients: Client[] = [];
  return {
    runtime,
    dir,
    configPath,
    url: (path) => {
      const url = new URL(path, runtime.url);
      url.searchParams.set('access_token', TEST_TOKEN);
      return url;
    },
    bareUrl: (path) => new URL(path, runtime.url),
    async connect(server, kind, clientOptions, clientName = 'test-client') {
      const client = new Client({ name: clientName, version: '1.0.0' }, clientOptions);
      const name = encodeURIComponent(server);
      const transport =
        kind === 'streamable'
          ? new StreamableHTTPClientTransport(new URL(`/mcp/${name}`, runtime.url), { requestInit: { headers: AUTH_HEADERS } })
          : new SSEClientTransport(new URL(`/sse/${name}`, runtime.url), { requestInit: { headers: AUTH_HEADERS } });
      await client.connect(transport);
      clients.push(client);
      return client;
    },
    async connectAggregate(kind, clientOptions, clientName = 'test-client') {
      const client = new Client({ name: clientName, version: '1.0.0' }, clientOptions);
      const transport =
        kind === 'streamable'
          ? new StreamableHTTPClientTransport(new URL('/mcp', runtime.url), { requestInit: { headers: AUTH_HEADERS } })
          : new SSEClientTransport(new URL('/sse', runtime.url), { requestInit: { headers: AUTH_HEADERS } });
      await client.connect(transport);
      clients.push(client);
      return client;
    },
    async dispose() {
      await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
      await runtime.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The state changes of one server (or of all), recorded from the moment `recordStates` is called. */
export interface StateRecorder {
  /** Every state entered since recording began, in order. */
  readonly states: ServerState[];
  /**
   * Resolves with the status once `state` has been entered `times` times since recording began (at
   * once if it already has). Rejects after `timeoutMs`, naming the states seen, so a test that goes
   * wrong fails with a reason instead of hanging.
   */
  until(state: ServerState, times?: number, timeoutMs?: number): Promise<ServerStatus>;
  /** Stops recording. */
  dispose(): void;
}

/** Records the state changes `event` reports (of `server` only, when given). */
export function recordStates(event: Event<StateChange>, server?: string): StateRecorder {
  const states: ServerState[] = [];
  const statuses: ServerStatus[] = [];
  const waiters = new Set<() => void>();
  const dispose = event(({ status }) => {
    if (server !== undefined && status.name !== server) return;
    states.push(status.state);
    statuses.push(status);
    for (const waiter of [...waiters]) waiter();
  });
  const nth = (state: ServerState, times: number): ServerStatus | undefined => {
    let seen = 0;
    for (const status of statuses) if (status.state === state && ++seen === times) return status;
    return undefined;
  };
  return {
    states,
    until(state, times = 1, timeoutMs = 10_000) {
      const found = nth(state, times);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        // node:timers, not the global: tests with fake timers still get a real deadline.
        const timer = realSetTimeout(() => {
          waiters.delete(check);
          reject(new Error(`waited ${timeoutMs} ms for state "${state}" (×${times}); saw: ${states.join(' → ') || '(nothing)'}`));
        }, timeoutMs);
        timer.unref();
        const check = (): void => {
          const status = nth(state, times);
          if (!status) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(status);
        };
        waiters.add(check);
      });
    },
    dispose,
  };
}
