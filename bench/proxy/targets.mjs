// The rows of the benchmark: what serves the echo fixture, and how an SDK client reaches it.
//
// A target's `start(ctx)` returns a running instance:
//   url          the endpoint the SDK client (and, for Streamable HTTP, autocannon) targets
//   pids()       root pids of the serving process tree (for memory sampling)
//   connect()    a connected SDK `Client` in a session of its own
//   toolName     the name under which the target serves the fixture's `echo` (and `sleep`)
//   stop()       kills everything it started
//   proc         (HTTP targets) the serving process, as `startProcess` returned it
// A target that cannot serve a transport has `unavailable` (the reason) instead of `start`.
// `transport` is 'stdio', 'sse', 'streamable' (MCP 2025) or 'modern' (MCP 2026-07-28 over HTTP,
// stateless: every row of it is driven by the same SDK v2 client, modern-client.mjs).
import { mkdir, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { connectModern } from './modern-client.mjs';
import { freePort, registerProcess, startProcess } from './processes.mjs';

const READY_TIMEOUT_MS = 30_000;
const MODERN_FIXTURE = fileURLToPath(new URL('./modern-echo-server.mjs', import.meta.url));
/** How a row's name calls its transport. */
const LABEL = { sse: 'SSE', streamable: 'Streamable', modern: '2026-07-28' };

function shellQuote(word) {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** How a server spawns the fixture; `ctx.fixtureArgs` (optional) are appended, e.g. the soak fixture's `--log`. */
export function fixtureCommand(ctx) {
  return [process.execPath, ctx.fixturePath, '--stdio', ...(ctx.fixtureArgs ?? [])];
}

/** The JS file behind `node_modules/.bin/<name>`, run with this Node rather than whatever `node` is on PATH. */
function binScript(ctx, name) {
  return realpathSync(join(ctx.repoRoot, 'node_modules', '.bin', name));
}

/** A clean environment: no inherited NODE_OPTIONS, a private HOME for tools that write state. */
export function baseEnv(home, extra = {}) {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', NODE_ENV: 'production' };
  return {
    ...env,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_STATE_HOME: join(home, '.local/state'),
    XDG_DATA_HOME: join(home, '.local/share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    ...extra,
  };
}

/** A fresh folder under the run's scratch directory. */
export async function privateHome(ctx, name) {
  const home = join(ctx.tmpDir, `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  await mkdir(home, { recursive: true });
  return home;
}

function clientTransport(kind, url, headers) {
  const requestInit = headers ? { headers } : undefined;
  if (kind === 'sse') {
    const eventSourceInit = headers
      ? { fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, ...headers } }) }
      : undefined;
    return new SSEClientTransport(new URL(url), { requestInit, eventSourceInit });
  }
  return new StreamableHTTPClientTransport(new URL(url), { requestInit });
}

/** A connected SDK client (`sse` or `streamable`) in a session of its own; `close()` ends it (Streamable: DELETE). */
export async function connectHttp(kind, url, headers) {
  const client = new Client({ name: 'mcp-orch-bench', version: '1.0.0' });
  const transport = clientTransport(kind, url, headers);
  try {
    await client.connect(transport);
  } catch (error) {
    // An SSE stream opened before a failed initialize would otherwise reconnect forever.
    await transport.close().catch(() => undefined);
    throw error;
  }
  return {
    client,
    // Streamable HTTP only: the session's id and the negotiated protocol version (raw requests on the session).
    sessionId: () => transport.sessionId,
    protocolVersion: () => transport.protocolVersion,
    async close() {
      if (kind === 'streamable') await transport.terminateSession().catch(() => undefined);
      await client.close().catch(() => undefined);
    },
  };
}

/** Waits until an SDK client can connect and list the tools; returns the served name of `echo` and `sleep`. */
async function waitUntilServing(connect, describe) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError;
  while (Date.now() < deadline) {
    let session;
    try {
      session = await connect();
      const { tools } = await session.client.listTools();
      const echo = tools.find((tool) => tool.name === 'echo' || /(^|[^a-z])echo$/.test(tool.name));
      const sleep = tools.find((tool) => tool.name === 'sleep' || /(^|[^a-z])sleep$/.test(tool.name));
      if (echo && sleep) return { echo: echo.name, sleep: sleep.name };
      lastError = new Error(`tools listed: ${tools.map((tool) => tool.name).join(', ') || '(none)'}`);
    } catch (error) {
      lastError = error;
    } finally {
      await session?.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${describe}: not serving after ${READY_TIMEOUT_MS} ms: ${lastError?.message ?? 'unknown'}`);
}

/** Starts `proc`, waits for it, and wraps it as a running HTTP target instance. */
async function httpInstance({ kind, proc, url, headers, readyPattern }) {
  try {
    if (readyPattern) await proc.waitForOutput(readyPattern, READY_TIMEOUT_MS);
    const connect = kind === 'modern' ? () => connectModern(url, headers) : () => connectHttp(kind, url, headers);
    const toolName = await waitUntilServing(connect, proc.name);
    return { url, headers, toolName, connect, proc, pids: () => [proc.pid], stop: () => proc.stop(), output: proc.output };
  } catch (error) {
    await proc.stop();
    throw error;
  }
}

const stdioDirect = {
  name: 'stdio direct',
  group: 'floor',
  transport: 'stdio',
  async start(ctx) {
    const live = new Map();
    const [command, ...args] = fixtureCommand(ctx);
    const connect = async () => {
      const client = new Client({ name: 'mcp-orch-bench', version: '1.0.0' });
      const transport = new StdioClientTransport({ command, args, stderr: 'ignore', env: baseEnv(ctx.tmpDir) });
      try {
        await client.connect(transport);
      } catch (error) {
        await transport.close().catch(() => undefined);
        throw error;
      }
      const pid = transport.pid;
      if (pid) {
        registerProcess(pid);
        live.set(pid, transport);
      }
      return {
        client,
        async close() {
          live.delete(pid);
          await client.close().catch(() => undefined);
        },
      };
    };
    return {
      url: 'stdio',
      toolName: { echo: 'echo', sleep: 'sleep' },
      connect,
      pids: () => [...live.keys()],
      stop: async () => undefined,
      output: () => '',
    };
  },
};

/** The SDK's own HTTP transport serving the fixture; `json`: Streamable with `enableJsonResponse`, its fastest mode. */
function sdkNative(kind, json = false) {
  return {
    name: `SDK native ${kind === 'sse' ? 'SSE' : 'Streamable'}${json ? ' JSON' : ''}`,
    group: 'floor',
    transport: kind,
    async start(ctx) {
      const proc = startProcess({
        name: this.name,
        command: process.execPath,
        args: [ctx.fixturePath, '--http', '--port', '0', ...(json ? ['--json-response'] : [])],
        env: baseEnv(ctx.tmpDir),
      });
      const [, base] = await proc.waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+)/, READY_TIMEOUT_MS);
      return httpInstance({ kind, proc, url: `${base}${kind === 'sse' ? '/sse' : '/mcp'}` });
    },
  };
}

/**
 * The 2026-07-28 floor: the SDK v2's own stateless serving (`createMcpHandler` on `node:http` through
 * `@modelcontextprotocol/node`) of the echo fixture's tools, bench/proxy/modern-echo-server.mjs.
 */
const sdkV2Modern = {
  name: 'SDK v2 2026-07-28',
  group: 'floor',
  transport: 'modern',
  async start(ctx) {
    const proc = startProcess({
      name: this.name,
      command: process.execPath,
      args: [MODERN_FIXTURE, '--port', '0'],
      env: baseEnv(ctx.tmpDir),
    });
    const [, base] = await proc.waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+)/, READY_TIMEOUT_MS);
    return httpInstance({ kind: 'modern', proc, url: `${base}/mcp` });
  },
};

/** This build, or with `baseline` ({ root, label }) the build of another checkout, for a before/after run. */
function mcpOrch(kind, baseline) {
  return {
    name: `mcp-orch${baseline ? `@${baseline.label}` : ''} ${LABEL[kind]}`,
    group: baseline ? 'baseline' : 'mcp-orch',
    transport: kind,
    async start(ctx) {
      const home = await privateHome(ctx, 'mcp-orch');
      const configPath = join(home, 'mcp-config.json');
      const [command, ...args] = fixtureCommand(ctx);
      await writeFile(configPath, JSON.stringify({ mcpServers: { echo: { command, args } } }, null, 2));
      const proc = startProcess({
        name: this.name,
        command: process.execPath,
        args: [
          join(baseline?.root ?? ctx.repoRoot, 'bin/mcp-orch.js'),
          'serve',
          '--config',
          configPath,
          '--port',
          '0',
          '--host',
          '127.0.0.1',
        ],
        cwd: home,
        env: baseEnv(home, { MCP_ORCH_TOKEN: ctx.orchToken, MCP_ORCH_LOGIN_SHELL_PATH: '0' }),
      });
      let base;
      try {
        [, base] = await proc.waitForOutput(/MCP Orch listening on (http:\/\/127\.0\.0\.1:\d+)/, READY_TIMEOUT_MS);
      } catch (error) {
        await proc.stop();
        throw error;
      }
      const headers = ctx.orchToken ? { Authorization: `Bearer ${ctx.orchToken}` } : undefined;
      return httpInstance({ kind, proc, url: `${base}${kind === 'sse' ? '/sse/echo' : '/mcp/echo'}`, headers });
    },
  };
}

function supergateway(kind) {
  return {
    name: `supergateway ${kind === 'sse' ? 'SSE' : 'Streamable'}`,
    group: 'peer',
    transport: kind,
    async start(ctx) {
      const port = await freePort();
      const transportArgs = kind === 'sse' ? [] : ['--outputTransport', 'streamableHttp', '--stateful'];
      const proc = startProcess({
        name: this.name,
        command: process.execPath,
        args: [
          binScript(ctx, 'supergateway'),
          '--stdio',
          fixtureCommand(ctx).map(shellQuote).join(' '),
          '--port',
          String(port),
          '--logLevel',
          'none',
          ...transportArgs,
        ],
        env: baseEnv(ctx.tmpDir, { NODE_OPTIONS: `--import=${ctx.loopbackPreload}` }),
      });
      return httpInstance({ kind, proc, url: `http://127.0.0.1:${port}${kind === 'sse' ? '/sse' : '/mcp'}` });
    },
  };
}

const supergatewayModern = {
  name: 'supergateway 2026-07-28',
  group: 'peer',
  transport: 'modern',
  unavailable:
    'supergateway 4.0.0 does not speak 2026-07-28: server/discover gets 404 -32601 Method not found (other methods get 2025-shaped answers)',
};

/** mcp-proxy 6.x serves with the SDK v2: 2026-07-28 requests are answered at its `/mcp` too. */
function mcpProxy(kind) {
  return {
    name: `mcp-proxy ${LABEL[kind]}`,
    group: 'peer',
    transport: kind,
    async start(ctx) {
      const port = await freePort();
      const proc = startProcess({
        name: this.name,
        command: process.execPath,
        args: [binScript(ctx, 'mcp-proxy'), '--port', String(port), '--host', '127.0.0.1', '--', ...fixtureCommand(ctx)],
        env: baseEnv(ctx.tmpDir),
      });
      return httpInstance({ kind, proc, url: `http://127.0.0.1:${port}${kind === 'sse' ? '/sse' : '/mcp'}` });
    },
  };
}

const mcpHubSse = {
  name: 'mcp-hub SSE',
  group: 'peer',
  transport: 'sse',
  async start(ctx) {
    const home = await privateHome(ctx, 'mcp-hub');
    const configPath = join(home, 'mcp-hub.json');
    const [command, ...args] = fixtureCommand(ctx);
    await writeFile(configPath, JSON.stringify({ mcpServers: { echo: { command, args } } }, null, 2));
    const port = await freePort();
    const proc = startProcess({
      name: this.name,
      command: process.execPath,
      args: [binScript(ctx, 'mcp-hub'), '--port', String(port), '--config', configPath],
      cwd: home,
      env: baseEnv(home, { NODE_OPTIONS: `--import=${ctx.loopbackPreload}` }),
    });
    // mcp-hub's one MCP endpoint is legacy SSE: GET /mcp opens the stream, POST /messages?sessionId=.
    return httpInstance({ kind: 'sse', proc, url: `http://127.0.0.1:${port}/mcp` });
  },
};

const mcpHubStreamable = {
  name: 'mcp-hub Streamable',
  group: 'peer',
  transport: 'streamable',
  unavailable: 'mcp-hub 4.2.1 serves MCP clients only over legacy SSE (GET /mcp + POST /messages); no Streamable HTTP endpoint',
};

/** All rows, in the order they are printed; `baseline` adds the mcp-orch rows of another checkout. */
export function allTargets(baseline) {
  return [
    stdioDirect,
    sdkNative('sse'),
    sdkNative('streamable'),
    sdkNative('streamable', true),
    sdkV2Modern,
    mcpOrch('sse'),
    mcpOrch('streamable'),
    mcpOrch('modern'),
    ...(baseline ? [mcpOrch('sse', baseline), mcpOrch('streamable', baseline)] : []),
    supergateway('sse'),
    supergateway('streamable'),
    supergatewayModern,
    mcpProxy('sse'),
    mcpProxy('streamable'),
    mcpProxy('modern'),
    mcpHubSse,
    mcpHubStreamable,
  ];
}
