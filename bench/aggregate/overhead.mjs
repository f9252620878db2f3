// Part 3: what the aggregate adds to a call. The same `echo` tool of the same upstream, called
// through its own endpoint (`/mcp/echo`, tool `echo`) and through the aggregate (`/mcp`, tool
// `echo__echo`), sequentially, in alternating blocks (A B, B A, A B …) so drift (other load on the
// machine, JIT, GC, the growing call log) hits both paths alike. Then the same with autocannon:
// raw HTTP POSTs on one initialised session per path, without the SDK client's cost.
//
// Every call is counted per session (sent, answered correctly), for the call-log check of part 4.
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { openRawSession } from '../proxy/http-load.mjs';
import { percentile } from '../proxy/client-load.mjs';
import { AUTH_HEADERS, connectClient } from './daemon.mjs';

const CALL_TIMEOUT_MS = 10_000;
const ACCEPT = 'application/json, text/event-stream';
const MAX_FAILURES = 20;

function stats(latencies) {
  const sorted = Float64Array.from(latencies).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((sum, value) => sum + value, 0) / (sorted.length || 1),
  };
}

function median(values) {
  const sorted = Float64Array.from(values).sort();
  return percentile(sorted, 50);
}

/** A path: where the calls go, under which tool name, and what happened to them. */
function path(label, url, toolName) {
  return { label, url, toolName, sent: 0, ok: 0, failed: 0, errors: new Map(), sessions: new Map() };
}

function countSession(target, sessionId, sent) {
  target.sessions.set(sessionId, (target.sessions.get(sessionId) ?? 0) + sent);
}

function noteError(target, message) {
  target.failed += 1;
  const key = String(message).slice(0, 160);
  target.errors.set(key, (target.errors.get(key) ?? 0) + 1);
  if (target.failed > MAX_FAILURES)
    throw new Error(`${target.label}: more than ${MAX_FAILURES} failed calls; first: ${[...target.errors.keys()][0]}`);
}

async function echoBlock(target, session, count, tag, latencies) {
  for (let i = 0; i < count; i += 1) {
    const text = `${tag}:${i}:${Math.random().toString(36).slice(2, 10)}`;
    target.sent += 1;
    countSession(target, session.sessionId, 1);
    const started = performance.now();
    let result;
    try {
      result = await session.client.callTool({ name: target.toolName, arguments: { text } }, undefined, { timeout: CALL_TIMEOUT_MS });
    } catch (error) {
      noteError(target, error?.message ?? error);
      continue;
    }
    const elapsed = performance.now() - started;
    if (result.isError || result.content?.[0]?.text !== text) {
      noteError(target, `wrong answer: ${JSON.stringify(result).slice(0, 120)}`);
      continue;
    }
    target.ok += 1;
    latencies?.push(elapsed);
  }
}

/**
 * SDK client, sequential: `warmupCalls` then `calls` per path, in blocks of `blockSize`, the order
 * of the two paths swapped every round.
 */
export async function sdkOverhead(base, { calls, warmupCalls, blockSize }) {
  const direct = path('direct /mcp/echo', `${base}/mcp/echo`, 'echo');
  const aggregate = path('aggregate /mcp', `${base}/mcp`, 'echo__echo');
  const sessions = new Map();
  try {
    for (const target of [direct, aggregate]) sessions.set(target, await connectClient(target.url));
    const latencies = new Map([
      [direct, []],
      [aggregate, []],
    ]);
    const blockP50 = new Map([
      [direct, []],
      [aggregate, []],
    ]);
    const rounds = Math.ceil(calls / blockSize);
    const warmRounds = Math.ceil(warmupCalls / blockSize);
    for (let round = 0; round < warmRounds + rounds; round += 1) {
      const warm = round < warmRounds;
      const order = round % 2 === 0 ? [direct, aggregate] : [aggregate, direct];
      for (const target of order) {
        const block = [];
        await echoBlock(target, sessions.get(target), blockSize, `${warm ? 'w' : 'm'}${round}`, warm ? undefined : block);
        if (warm) continue;
        latencies.get(target).push(...block);
        blockP50.get(target).push(median(block));
      }
    }
    const pairedDiffs = blockP50.get(aggregate).map((p50, index) => p50 - blockP50.get(direct)[index]);
    return {
      direct: stats(latencies.get(direct)),
      aggregate: stats(latencies.get(aggregate)),
      blocks: rounds,
      blockSize,
      medianBlockDiff: median(pairedDiffs),
      paths: [direct, aggregate],
    };
  } finally {
    await Promise.all([...sessions.values()].map((session) => session.close()));
  }
}

function callBody(toolName, key) {
  return JSON.stringify({ jsonrpc: '2.0', id: key, method: 'tools/call', params: { name: toolName, arguments: { text: key } } });
}

/** The body is plain JSON (or SSE `data:` lines) carrying the answer to `key` with `key` as its text. */
function answered(body, key) {
  try {
    const text = body.trim();
    const messages = text.startsWith('{')
      ? [JSON.parse(text)]
      : text
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => JSON.parse(line.slice(5)));
    return messages.some((message) => message.id === key && message.result?.content?.[0]?.text === key);
  } catch {
    return false;
  }
}

/** Exactly `amount` requests on `connections` connections; every answer is checked. */
async function cannon(target, session, { connections, amount, tag }) {
  const latencies = [];
  const check = { ok: 0, wrong: 0 };
  let sequence = 0;
  // autocannon's own duration is rounded up to its one-second tick; time first request to last answer instead.
  let firstAt;
  let lastAt;
  const instance = autocannon({
    url: target.url,
    connections,
    amount,
    timeout: 10,
    headers: { 'content-type': 'application/json', accept: ACCEPT, ...session.headers },
    requests: [
      {
        method: 'POST',
        setupRequest(request, context) {
          sequence += 1;
          firstAt ??= performance.now();
          context.key = `${tag}-${sequence}`;
          return { ...request, body: callBody(target.toolName, context.key) };
        },
        onResponse(status, body, context) {
          lastAt = performance.now();
          if (status === 200 && answered(body, context.key)) check.ok += 1;
          else check.wrong += 1;
        },
      },
    ],
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode === 200) latencies.push(responseTime);
  });
  const result = await instance;
  const wallMs = lastAt - firstAt;
  target.sent += sequence;
  target.ok += check.ok;
  countSession(target, session.headers['mcp-session-id'], sequence);
  const bad = check.wrong + result.errors + result.timeouts + result.non2xx;
  if (bad > 0)
    noteError(
      target,
      `autocannon ${tag}: ${check.wrong} wrong, ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
    );
  return { latencies, answered: check.ok, wallMs };
}

/**
 * autocannon at `connections`: a warm-up of `warmup` requests per path, then `rounds` rounds of
 * `amount` requests per path, alternating which path goes first.
 */
export async function rawOverhead(base, { connections, amount, warmup, rounds }) {
  const direct = path('direct /mcp/echo', `${base}/mcp/echo`, 'echo');
  const aggregate = path('aggregate /mcp', `${base}/mcp`, 'echo__echo');
  const sessions = new Map();
  try {
    for (const target of [direct, aggregate]) sessions.set(target, await openRawSession(target.url, AUTH_HEADERS));
    const totals = new Map([
      [direct, { latencies: [], answered: 0, wallMs: 0 }],
      [aggregate, { latencies: [], answered: 0, wallMs: 0 }],
    ]);
    for (const target of [direct, aggregate])
      await cannon(target, sessions.get(target), { connections, amount: warmup, tag: `w${connections}` });
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? [direct, aggregate] : [aggregate, direct];
      for (const target of order) {
        const run = await cannon(target, sessions.get(target), { connections, amount, tag: `m${connections}r${round}` });
        const total = totals.get(target);
        total.latencies.push(...run.latencies);
        total.answered += run.answered;
        total.wallMs += run.wallMs;
      }
    }
    const figures = (target) => {
      const total = totals.get(target);
      return { ...stats(total.latencies), requestsPerSec: total.answered / (total.wallMs / 1000) };
    };
    return { connections, amount, rounds, direct: figures(direct), aggregate: figures(aggregate), paths: [direct, aggregate] };
  } finally {
    await Promise.all([...sessions.values()].map((session) => session.close()));
  }
}
