// Part 1: the aggregate's `tools/list` with many servers of many tools, timed through the SDK
// client (what an MCP client sees) and as a raw HTTP POST (the daemon plus HTTP, no client parsing).
import { performance } from 'node:perf_hooks';
import { ListToolsResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { openRawSession } from '../proxy/http-load.mjs';
import { percentile } from '../proxy/client-load.mjs';
import { AUTH_HEADERS, connectClient, fixtureServers, startDaemon } from './daemon.mjs';

const CATALOG_TIMEOUT_MS = 60_000;
const CALL_TIMEOUT_MS = 30_000;

function summary(latencies) {
  const sorted = Float64Array.from(latencies).sort();
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) };
}

/** Lists until the aggregate holds `expected` tools (the registry fetches catalogs after the servers start). */
export async function waitForTools(client, expected, timeoutMs = CATALOG_TIMEOUT_MS) {
  const deadline = performance.now() + timeoutMs;
  let seen = -1;
  while (performance.now() < deadline) {
    const { tools } = await client.listTools(undefined, { timeout: CALL_TIMEOUT_MS });
    seen = tools.length;
    if (seen === expected) return performance.now();
    if (seen > expected) throw new Error(`the aggregate lists ${seen} tools, expected ${expected}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the aggregate still lists ${seen} of ${expected} tools after ${timeoutMs} ms`);
}

async function rawList(url, headers, id) {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list', params: {} }),
  });
  const body = await response.text();
  const elapsed = performance.now() - started;
  if (!response.ok) throw new Error(`tools/list: HTTP ${response.status} ${body.slice(0, 200)}`);
  return { elapsed, body, bytes: Buffer.byteLength(body), contentType: response.headers.get('content-type') ?? '' };
}

/** Where the SDK client's extra time goes: `JSON.parse` of the body and the SDK's schema check of the result (medians, ms). */
function clientParseCost(body, runs) {
  const parse = [];
  const validate = [];
  for (let i = 0; i < runs; i += 1) {
    let started = performance.now();
    const message = JSON.parse(body);
    parse.push(performance.now() - started);
    started = performance.now();
    const checked = ListToolsResultSchema.safeParse(message.result);
    validate.push(performance.now() - started);
    if (!checked.success) throw new Error(`the tools/list result fails the SDK schema: ${checked.error.message.slice(0, 200)}`);
  }
  return { jsonParse: summary(parse).p50, schema: summary(validate).p50 };
}

/** One daemon with `servers` × `toolsPerServer`: warm-up, then `calls` SDK lists and `calls` raw lists. */
export async function measureToolsList(ctx, { servers, toolsPerServer, calls, warmupCalls }) {
  const expected = servers * toolsPerServer;
  const daemon = await startDaemon(ctx, {
    label: `list-${servers}x${toolsPerServer}`,
    servers: fixtureServers(ctx, { count: servers, tools: toolsPerServer }),
  });
  let session;
  let raw;
  try {
    await daemon.ready();
    const url = `${daemon.base}/mcp`;
    session = await connectClient(url);
    await waitForTools(session.client, expected);
    for (let i = 0; i < warmupCalls; i += 1) await session.client.listTools(undefined, { timeout: CALL_TIMEOUT_MS });
    const sdk = [];
    for (let i = 0; i < calls; i += 1) {
      const started = performance.now();
      const { tools } = await session.client.listTools(undefined, { timeout: CALL_TIMEOUT_MS });
      sdk.push(performance.now() - started);
      if (tools.length !== expected) throw new Error(`call ${i}: ${tools.length} tools listed, expected ${expected}`);
    }
    raw = await openRawSession(url, AUTH_HEADERS);
    let last;
    for (let i = 0; i < warmupCalls; i += 1) last = await rawList(url, raw.headers, `warm${i}`);
    const rawLatencies = [];
    for (let i = 0; i < calls; i += 1) {
      last = await rawList(url, raw.headers, `m${i}`);
      rawLatencies.push(last.elapsed);
    }
    return {
      servers,
      toolsPerServer,
      tools: expected,
      sdk: summary(sdk),
      clientParse: clientParseCost(last.body, Math.max(5, Math.min(calls, 20))),
      raw: summary(rawLatencies),
      responseBytes: last.bytes,
      contentType: last.contentType,
    };
  } finally {
    await raw?.close();
    await session?.close();
    await daemon.stop();
  }
}
