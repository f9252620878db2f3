// The batch bench's daemon and client: a real `mcp-orch serve --mode batch` on 127.0.0.1 with two
// stdio fixture servers, one SDK client session on its aggregated endpoint, and the ways a client
// can make a set of calls (one by one, all at once, one batch_execute).
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { daemonEnv, startProcess } from '../proxy/processes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../..');
const ECHO_SERVER = join(repoRoot, 'main/core/mcp/__fixtures__/echo-server.mjs');
const BATCH_SERVER = join(repoRoot, 'main/core/batch/__fixtures__/batch-server.mjs');
const TOKEN = randomBytes(24).toString('hex');
const LISTENING = /MCP Orch listening on (http:\/\/127\.0\.0\.1:\d+)/;
const READY = /Press Ctrl-C to stop\./;
/** Upper bound of any single step (a call, a batch, the scheduler child). */
export const STEP_TIMEOUT_MS = 120_000;

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** `promise`, or a rejection naming `what` after `timeoutMs`. */
export function withTimeout(promise, what, timeoutMs = STEP_TIMEOUT_MS) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer after ${timeoutMs} ms`)), timeoutMs);
    }),
  ]);
}

/** Starts `mcp-orch serve --mode batch` with the two fixture servers in a fresh home under `scratchDir`. */
export async function startDaemon(scratchDir) {
  const home = join(scratchDir, 'home');
  const configPath = join(home, 'mcp-config.json');
  await mkdir(home, { recursive: true });
  const config = {
    mcpServers: {
      echo: { command: process.execPath, args: [ECHO_SERVER, '--stdio'] },
      bf: { command: process.execPath, args: [BATCH_SERVER] },
    },
    orch: { mode: 'batch', batch: { approveAll: true } },
  };
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const proc = startProcess({
    name: 'mcp-orch (batch)',
    command: process.execPath,
    args: [join(repoRoot, 'bin/mcp-orch.js'), 'serve', '--config', configPath, '--port', '0', '--host', '127.0.0.1', '--mode', 'batch'],
    cwd: home,
    env: daemonEnv(home, TOKEN),
  });
  const [, base] = await proc.waitForOutput(LISTENING, 30_000);
  await proc.waitForOutput(READY, 60_000);
  return { proc, base };
}

/** One Streamable HTTP session of the SDK client on the aggregated endpoint. */
export async function connect(base) {
  const client = new Client({ name: 'mcp-orch-bench-batch', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
  });
  await client.connect(transport);
  return {
    client,
    async close() {
      await transport.terminateSession().catch(() => undefined);
      await client.close().catch(() => undefined);
    },
  };
}

/** One tools/call with the SDK client, no client-side timeout shorter than the step bound. */
export function call(client, name, args) {
  return withTimeout(client.callTool({ name, arguments: args }, undefined, { timeout: STEP_TIMEOUT_MS }), `tools/call ${name}`);
}

/** Runs a plan through batch_execute; returns the client-side wall time and the compact report. */
export async function batch(client, plan) {
  const started = performance.now();
  const result = await call(client, 'batch_execute', plan);
  const wall = performance.now() - started;
  const report = result.structuredContent;
  if (result.isError || report?.status !== 'succeeded') {
    throw new Error(`batch_execute did not succeed: ${JSON.stringify(result).slice(0, 500)}`);
  }
  return { wall, report, result };
}

/** The calls one after another; an argument may be a function of the results so far (what a plan's references do). */
export async function sequential(client, calls) {
  const started = performance.now();
  const results = [];
  for (const [name, args] of calls) {
    const result = await call(client, name, typeof args === 'function' ? args(results) : args);
    if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result).slice(0, 300)}`);
    results.push(result);
  }
  return { wall: performance.now() - started, results };
}

/** The same calls all at once on the one session (`Promise.all`), as a client that calls tools in parallel itself does. */
export async function concurrent(client, calls) {
  const started = performance.now();
  const results = await Promise.all(calls.map(([name, args]) => call(client, name, args)));
  const failed = results.findIndex((result) => result.isError);
  if (failed >= 0) throw new Error(`${calls[failed][0]} failed: ${JSON.stringify(results[failed]).slice(0, 300)}`);
  return { wall: performance.now() - started, results };
}
