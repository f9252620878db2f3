// Clients that stop reading. For one target's Streamable HTTP endpoint: a reading SDK client opens
// a session, then `posts` raw sockets (node:net) each POST one `blob` call of `bytes` characters on
// that session and never read the answer (paused right after the request is written). For
// `seconds` from the first POST the serving process's RSS is sampled, and the TCP state of the
// server's end of each socket is read from /proc/net/tcp: a server that gives up on a socket closes
// its end (FIN_WAIT1 while the unread data still sits in its kernel buffer). Afterwards each socket
// is resumed and drained for a bounded time; the daemon's log is searched for its "closing … its
// client is not reading" lines.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { processTree } from '../proxy/processes.mjs';
import { rssMb } from './proc-stats.mjs';
import { now, sleep } from './rng.mjs';
import { linearFit } from './sampler.mjs';

const SAMPLE_MS = 500;
const CONNECT_TIMEOUT_MS = 5_000;
/** How long each socket, resumed at the end, is drained while waiting for its end or reset. */
const DRAIN_MS = 5_000;
/** How long the reading session's `echo` may take after the window (it may queue behind the blobs upstream). */
const HEALTH_CALL_MS = 10_000;
/** The daemon's log line when it closes a stream or a session whose client does not read (send-ledger.ts). */
const CLOSING_LINE = /closing .* its client is not reading/;
/** TCP states of /proc/net/tcp (include/net/tcp_states.h). */
const TCP_STATES = {
  '01': 'ESTABLISHED',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
  '0B': 'CLOSING',
};

/** The target's Streamable HTTP endpoint for this test (the daemon: one server's URL), or undefined. */
export function stalledEndpoint(instance) {
  if (instance.product === 'mcp-orch') return instance.endpoints.find((endpoint) => endpoint.id === 'mcp/a');
  return instance.endpoints.find((endpoint) => endpoint.transport === 'streamable');
}

/** Every TCP connection on this host: `<local port>:<remote port>` → { state, txQueue, rxQueue } (bytes). */
function tcpTable() {
  const table = new Map();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 5) continue;
      const port = (address) => parseInt(address.slice(address.lastIndexOf(':') + 1), 16);
      const [tx, rx] = fields[4].split(':').map((hex) => parseInt(hex, 16));
      table.set(`${port(fields[1])}:${port(fields[2])}`, { state: TCP_STATES[fields[3]] ?? fields[3], txQueue: tx, rxQueue: rx });
    }
  }
  return table;
}

/** The serving process's RSS alone and with its whole tree (MB); undefined once it is gone. */
function memory(pid) {
  const rss = rssMb(pid);
  if (rss === undefined) return { rss: undefined, treeRss: undefined, processes: 0 };
  const tree = processTree(pid);
  return { rss, treeRss: tree.reduce((sum, member) => sum + (rssMb(member) ?? 0), 0), processes: tree.length };
}

/** Opens a socket to `url`'s host, writes one POST of `body`, and pauses: it reads nothing more. */
function stalledPost(url, headers, body) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connect to ${url.host}: no connection after ${CONNECT_TIMEOUT_MS} ms`));
    }, CONNECT_TIMEOUT_MS);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      const head = [
        `POST ${url.pathname}${url.search} HTTP/1.1`,
        `Host: ${url.host}`,
        'Content-Type: application/json',
        'Accept: application/json, text/event-stream',
        `Content-Length: ${Buffer.byteLength(body)}`,
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
        '',
        '',
      ].join('\r\n');
      socket.write(head + body);
      socket.pause();
      const record = { socket, localPort: socket.localPort, error: undefined, ended: false };
      socket.removeAllListeners('error');
      // An error while paused (a reset seen on a write) is recorded, not thrown.
      socket.on('error', (error) => (record.error ??= error.code ?? error.message));
      resolve(record);
    });
  });
}

/** Resumes a stalled socket and reads until it ends, is reset, or `DRAIN_MS` pass. */
function drain(record) {
  return new Promise((resolve) => {
    const { socket } = record;
    let bytes = 0;
    let head = '';
    const t0 = now();
    const finish = (how) => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      resolve({ how, afterMs: Math.round(now() - t0), bytes, status: head.split('\r\n')[0] || undefined });
    };
    const timer = setTimeout(() => finish('still open'), DRAIN_MS);
    if (record.error) return finish(`error before resume: ${record.error}`);
    socket.on('data', (chunk) => {
      if (head.length < 200) head += chunk.subarray(0, 200).toString('latin1');
      bytes += chunk.length;
    });
    socket.once('end', () => finish('ended'));
    socket.once('error', (error) => finish(`error: ${error.code ?? error.message}`));
    socket.once('close', () => finish('closed'));
    socket.resume();
  });
}

async function withTimeout(promise, ms, what) {
  let timer;
  try {
    return await Promise.race([
      promise,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer after ${ms} ms`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One target: `posts` stalled POSTs of `blob {bytes}` on one session, `seconds` of samples from the
 * first one. Resolves with the figures and the raw samples.
 */
export async function measureStalled(instance, { posts, bytes, seconds }) {
  const endpoint = stalledEndpoint(instance);
  if (!endpoint) throw new Error(`${instance.name}: no Streamable HTTP endpoint`);
  const spec = instance.connectSpec(endpoint);
  const url = new URL(spec.url);
  const pid = instance.proc.pid;
  const logLinesBefore = instance.proc
    .output()
    .split('\n')
    .filter((line) => CLOSING_LINE.test(line)).length;
  const reader = await instance.connect(endpoint);
  const sockets = [];
  try {
    const sessionId = reader.sessionId?.();
    if (!sessionId) throw new Error(`${instance.name}: the reading client has no session id`);
    const echo = instance.tool(endpoint, endpoint.server, 'echo');
    await reader.client.callTool({ name: echo, arguments: { text: 'before' } });
    const headers = {
      ...(spec.headers ?? {}),
      'Mcp-Session-Id': sessionId,
      ...(reader.protocolVersion?.() ? { 'Mcp-Protocol-Version': reader.protocolVersion() } : {}),
    };
    const before = memory(pid);
    const begin = now();
    const deadline = begin + seconds * 1000;
    const samples = [];
    const firstClosedAt = new Map();
    const take = () => {
      const t = now();
      const tcp = tcpTable();
      let open = 0;
      let serverQueued = 0;
      for (const record of sockets) {
        const serverEnd = tcp.get(`${url.port}:${record.localPort}`);
        if (serverEnd?.state === 'ESTABLISHED') open += 1;
        else if (!firstClosedAt.has(record)) firstClosedAt.set(record, t);
        serverQueued += serverEnd?.txQueue ?? 0;
        record.serverEnd = serverEnd ? { state: serverEnd.state, txQueue: serverEnd.txQueue } : { state: 'gone' };
      }
      samples.push({
        s: Math.round((t - begin) / 100) / 10,
        ...memory(pid),
        serverOpen: open,
        serverKernelQueuedMb: serverQueued / 1024 / 1024,
      });
    };
    const sendErrors = [];
    const tool = instance.tool(endpoint, endpoint.server, 'blob');
    for (let i = 0; i < posts && now() < deadline; i += 1) {
      const body = JSON.stringify({
        jsonrpc: '2.0',
        id: 1_000_000 + i,
        method: 'tools/call',
        params: { name: tool, arguments: { bytes, seed: `stalled-${i}` } },
      });
      try {
        sockets.push(await stalledPost(url, headers, body));
      } catch (error) {
        sendErrors.push(String(error?.message ?? error).slice(0, 200));
        if (sendErrors.length >= 3) break;
      }
    }
    const postsMs = now() - begin;
    for (let i = 0; i < 10_000 && now() < deadline; i += 1) {
      take();
      await sleep(Math.max(0, Math.min(SAMPLE_MS, deadline - now())));
    }
    take();
    const alive = samples.filter((sample) => sample.rss !== undefined);
    const lastHalf = alive.filter((sample) => sample.s >= seconds / 2);
    const fit = linearFit(lastHalf.map((sample) => [sample.s / 60, sample.rss]));
    const closedInWindow = sockets.filter((record) => firstClosedAt.has(record));
    const closedAfterS = closedInWindow.map((record) => Math.round((firstClosedAt.get(record) - begin) / 100) / 10).sort((a, b) => a - b);
    // The reading client's session: still served after the stalled ones?
    let readerAfter;
    try {
      await withTimeout(reader.client.callTool({ name: echo, arguments: { text: 'after' } }), HEALTH_CALL_MS, 'echo');
      readerAfter = 'answered';
    } catch (error) {
      readerAfter = `failed: ${String(error?.message ?? error).slice(0, 300)}`;
    }
    const drained = await Promise.all(sockets.map(drain));
    const logLines = instance.proc
      .output()
      .split('\n')
      .filter((line) => CLOSING_LINE.test(line));
    return {
      endpoint: endpoint.id,
      posts,
      sent: sockets.length,
      sendErrors,
      postsMs: Math.round(postsMs),
      bytes,
      seconds,
      rssMb: {
        before: before.rss,
        peak: alive.length ? Math.max(...alive.map((sample) => sample.rss)) : undefined,
        end: alive.at(-1)?.rss,
        slopeLastHalfPerMin: fit?.slope,
        r2: fit?.r2,
      },
      treeRssMb: {
        before: before.treeRss,
        peak: alive.length ? Math.max(...alive.map((sample) => sample.treeRss)) : undefined,
        end: alive.at(-1)?.treeRss,
      },
      exited: alive.length < samples.length,
      closedByServer: closedInWindow.length,
      closedAfterS,
      // Sockets on which the server had written answer bytes that sit unread in its kernel queue at the window's end.
      answersBegun: sockets.filter((record) => record.serverEnd?.txQueue > 0).length,
      serverEndsAtEnd: sockets.map((record) => record.serverEnd),
      readerAfter,
      afterResume: {
        ended: drained.filter((entry) => entry.how !== 'still open').length,
        outcomes: drained,
      },
      log:
        instance.product === 'mcp-orch'
          ? {
              closingLines: Math.max(0, logLines.length - logLinesBefore),
              examples: logLines.slice(0, 3).map((line) => line.slice(0, 300)),
            }
          : undefined,
      samples,
    };
  } finally {
    for (const record of sockets) record.socket.destroy();
    await reader.close();
  }
}
