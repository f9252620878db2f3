// Raw HTTP load with autocannon on one already-initialised Streamable HTTP session (MCP 2025), or
// with stateless 2026-07-28 requests (`modern`: no session, the version in the headers and in every
// request's `_meta`): the server side alone, without the SDK client's own cost. Every answer is
// checked for the text its request sent.
import autocannon from 'autocannon';
import { percentile } from './client-load.mjs';
import { MODERN_VERSION } from './modern-client.mjs';

const ACCEPT = 'application/json, text/event-stream';
const PROTOCOL_VERSION = '2025-06-18';
const MAX_SAMPLES = 2_000_000;

/** The JSON-RPC message in a body that is either JSON or an SSE stream of `data:` lines. */
function parseMessages(body) {
  const text = body.trim();
  if (text.startsWith('{') || text.startsWith('[')) return [JSON.parse(text)].flat();
  return text
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trim())
    .filter(Boolean)
    .map((data) => JSON.parse(data));
}

async function post(url, headers, message) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: ACCEPT, ...headers },
    body: JSON.stringify(message),
  });
  const body = await response.text();
  if (!response.ok) throw new Error(`${message.method}: HTTP ${response.status} ${body.slice(0, 200)}`);
  return { response, messages: body ? parseMessages(body) : [] };
}

/** Opens a session by hand (initialize + notifications/initialized) and returns the headers that address it. */
export async function openRawSession(url, extraHeaders = {}) {
  const init = await post(url, extraHeaders, {
    jsonrpc: '2.0',
    id: 'init',
    method: 'initialize',
    params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'mcp-orch-bench-raw', version: '1.0.0' } },
  });
  const sessionId = init.response.headers.get('mcp-session-id');
  if (!sessionId) throw new Error('initialize answered without an mcp-session-id header');
  const version = init.messages.find((message) => message.id === 'init')?.result?.protocolVersion ?? PROTOCOL_VERSION;
  const headers = { ...extraHeaders, 'mcp-session-id': sessionId, 'mcp-protocol-version': version };
  await post(url, headers, { jsonrpc: '2.0', method: 'notifications/initialized' });
  return {
    headers,
    close: () =>
      fetch(url, { method: 'DELETE', headers })
        .then((response) => response.body?.cancel())
        .catch(() => undefined),
  };
}

/**
 * What a 2026-07-28 `tools/call` carries besides its body, as the SDK v2 client sends it: the
 * headers (no session id) and the `_meta` envelope. `close()` has nothing to end.
 */
export function modernRawSession(toolName, extraHeaders = {}) {
  return {
    headers: { ...extraHeaders, 'mcp-protocol-version': MODERN_VERSION, 'mcp-method': 'tools/call', 'mcp-name': toolName },
    meta: {
      'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
      'io.modelcontextprotocol/clientInfo': { name: 'mcp-orch-bench-raw', version: '1.0.0' },
      'io.modelcontextprotocol/clientCapabilities': {},
    },
    close: async () => undefined,
  };
}

function callBody(toolName, key, meta) {
  const params = { name: toolName, arguments: { text: key }, ...(meta ? { _meta: meta } : {}) };
  return JSON.stringify({ jsonrpc: '2.0', id: key, method: 'tools/call', params });
}

/** True when the body (JSON or SSE) holds the answer to request `key`, carrying `key` as its text. */
function answered(body, key) {
  try {
    return parseMessages(body).some((message) => message.id === key && message.result?.content?.[0]?.text === key);
  } catch {
    return false;
  }
}

export async function runRawLoad(url, toolName, { connections, durationSec, warmupSec, headers: extraHeaders, modern = false }) {
  const session = modern ? modernRawSession(toolName, extraHeaders) : await openRawSession(url, extraHeaders);
  try {
    const probe = await post(url, session.headers, JSON.parse(callBody(toolName, 'probe', session.meta)));
    if (!probe.messages.some((message) => message.id === 'probe' && message.result?.content?.[0]?.text === 'probe')) {
      throw new Error(`probe call was not answered correctly: ${JSON.stringify(probe.messages).slice(0, 200)}`);
    }
    let sequence = 0;
    const check = { ok: 0, wrong: 0 };
    const request = {
      method: 'POST',
      setupRequest(req, context) {
        sequence += 1;
        context.key = `r${sequence}`;
        return { ...req, body: callBody(toolName, context.key, session.meta) };
      },
      onResponse(status, body, context) {
        if (status === 200 && answered(body, context.key)) check.ok += 1;
        else check.wrong += 1;
      },
    };
    const load = (durationSec) =>
      autocannon({
        url,
        connections,
        duration: durationSec,
        headers: { 'content-type': 'application/json', accept: ACCEPT, ...session.headers },
        requests: [request],
        timeout: 10,
      });
    if (warmupSec > 0) await load(warmupSec);
    // autocannon's own percentiles are whole milliseconds; its per-response event has hrtime precision.
    const latencies = [];
    const run = load(durationSec);
    run.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300 && latencies.length < MAX_SAMPLES) latencies.push(responseTime);
    });
    const result = await run;
    const sorted = Float64Array.from(latencies).sort();
    return {
      connections,
      durationSec: result.duration,
      requestsPerSec: result['2xx'] / result.duration,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      autocannonP50: result.latency.p50,
      autocannonP99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      // counted over the warm-up and the measured part alike
      wrongAnswers: check.wrong,
      checkedAnswers: check.ok + check.wrong,
    };
  } finally {
    await session.close();
  }
}
