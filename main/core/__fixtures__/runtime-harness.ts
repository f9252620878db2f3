/**
 * Test support: a real runtime on 127.0.0.1 port 0 with a config file in a temp dir, real SDK
 * clients over real HTTP, and the real MCP servers from npm. Everything started is disposed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ConfigFile, ServerConfig } from '../../../shared/config.js';
import { createRuntime, type Runtime, type RuntimeOptions } from '../runtime.js';

const require = createRequire(import.meta.url);

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
  /** Absolute URL of a path on the daemon. */
  url(path: string): URL;
  /** Connects an SDK client to `/mcp/<server>` (streamable) or `/sse/<server>` (sse). */
  connect(server: string, kind: TransportKind, options?: ClientOptions, clientName?: string): Promise<Client>;
  dispose(): Promise<void>;
}

export type TransportKind = 'streamable' | 'sse';
export const TRANSPORT_KINDS: TransportKind[] = ['streamable', 'sse'];

export async function startHarness(
  servers: Record<string, ServerConfig> | ((dir: string) => Record<string, ServerConfig>),
  options: { orch?: ConfigFile['orch']; runtime?: Partial<RuntimeOptions> } = {},
): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-orch-test-'));
  const configPath = join(dir, 'mcp-config.json');
  const file: ConfigFile = { mcpServers: typeof servers === 'function' ? servers(dir) : servers, ...(options.orch ? { orch: options.orch } : {}) };
  await writeFile(configPath, JSON.stringify(file, null, 2));
  const runtime = await createRuntime({
    configPath,
    port: 0,
    host: '127.0.0.1',
    logDir: join(dir, 'logs'),
    env: { ...process.env, MCP_ORCH_LOGIN_SHELL_PATH: '0' },
    ...options.runtime,
  });
  await runtime.ready;
  const clients: Client[] = [];
  return {
    runtime,
    dir,
    configPath,
    url: (path) => new URL(path, runtime.url),
    async connect(server, kind, clientOptions, clientName = 'test-client') {
      const client = new Client({ name: clientName, version: '1.0.0' }, clientOptions);
      const name = encodeURIComponent(server);
      const transport =
        kind === 'streamable'
          ? new StreamableHTTPClientTransport(new URL(`/mcp/${name}`, runtime.url))
          : new SSEClientTransport(new URL(`/sse/${name}`, runtime.url));
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
