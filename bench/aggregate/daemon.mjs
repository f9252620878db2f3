// The daemon under test: `mcp-orch serve` spawned as a child process (its own process group), in a
// fresh MCP_ORCH_HOME, on 127.0.0.1 and a free port. Plus the two ways the benchmark talks to it:
// the official SDK client and raw HTTP POSTs on an initialised session.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { daemonEnv, startProcess } from '../proxy/processes.mjs';
import { randomBytes } from 'node:crypto';

/** The bootstrap token of every daemon this bench starts: the daemon requires one on every endpoint. */
export const BENCH_TOKEN = randomBytes(24).toString('hex');
/** The header that authenticates with it. */
export const AUTH_HEADERS = { Authorization: `Bearer ${BENCH_TOKEN}` };

export const LISTENING = /MCP Orch listening on (http:\/\/127\.0\.0\.1:\d+)/;
export const READY = /Press Ctrl-C to stop\./;
const LISTEN_TIMEOUT_MS = 30_000;
export const READY_TIMEOUT_MS = 120_000;

/** Config entries: `count` many-tools fixtures (`tools_00` …) with `tools` tools each, plus the echo fixture when asked. */
export function fixtureServers(ctx, { count, tools, echo = false }) {
  const servers = {};
  const width = String(Math.max(1, count - 1)).length;
  for (let index = 0; index < count; index += 1) {
    servers[`tools_${String(index).padStart(width, '0')}`] = {
      command: process.execPath,
      args: [ctx.manyToolsPath, '--tools', String(tools)],
    };
  }
  if (echo) servers.echo = { command: process.execPath, args: [ctx.echoPath, '--stdio'] };
  return servers;
}

let homes = 0;

/**
 * Writes the config into a fresh home and spawns the daemon; resolves once it listens.
 * `startedAt` is the `performance.now()` just before the spawn.
 */
export async function startDaemon(ctx, { label, servers }) {
  homes += 1;
  const home = join(ctx.tmpDir, `${String(homes).padStart(2, '0')}-${label}`);
  await mkdir(home, { recursive: true });
  const configPath = join(home, 'mcp-config.json');
  await writeFile(configPath, JSON.stringify({ mcpServers: servers }, null, 2));
  const nodeFlags = ctx.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', ctx.cpuProfDir, '--cpu-prof-name', `${label}.cpuprofile`] : [];
  const env = daemonEnv(home, BENCH_TOKEN);
  const startedAt = performance.now();
  const proc = startProcess({
    name: `mcp-orch (${label})`,
    command: process.execPath,
    args: [...nodeFlags, join(ctx.repoRoot, 'bin/mcp-orch.js'), 'serve', '--config', configPath, '--port', '0', '--host', '127.0.0.1'],
    cwd: home,
    env,
  });
  let base;
  try {
    [, base] = await proc.waitForOutput(LISTENING, LISTEN_TIMEOUT_MS);
  } catch (error) {
    await proc.stop();
    throw error;
  }
  return {
    label,
    proc,
    home,
    base,
    startedAt,
    listeningAt: performance.now(),
    databasePath: join(home, 'mcp-orch.db'),
    /** Resolves when the daemon printed its table (every server running or failed). */
    ready: () => proc.waitForOutput(READY, READY_TIMEOUT_MS),
    stop: () => proc.stop(),
  };
}

/** A connected SDK client in a session of its own on `url`. */
export async function connectClient(url) {
  const client = new Client({ name: 'mcp-orch-bench-aggregate', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: AUTH_HEADERS } });
  try {
    await client.connect(transport);
  } catch (error) {
    await transport.close().catch(() => undefined);
    throw error;
  }
  return {
    client,
    sessionId: transport.sessionId,
    async close() {
      await transport.terminateSession().catch(() => undefined);
      await client.close().catch(() => undefined);
    },
  };
}

/** The daemon's state folder and process, for the notes of a failed run. */
export function describeDaemon(daemon) {
  return `${daemon.proc.name}, home ${daemon.home}\n${daemon.proc.output().split('\n').slice(-10).join('\n')}`;
}
