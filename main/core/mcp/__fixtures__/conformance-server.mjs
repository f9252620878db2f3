#!/usr/bin/env node
// An MCP server that offers everything the official conformance suite
// (@modelcontextprotocol/conformance, server scenarios) asks of a server under test.
// It exists so we can run the suite twice, against this server served natively over HTTP and
// against the same server behind our proxy, and compare the outcomes.
//
//   node conformance-server.mjs --stdio              serve over stdio (what the proxy spawns)
//   node conformance-server.mjs --http --port N      serve at http://127.0.0.1:N/mcp (N may be 0)
//
// Expected names and outputs come from the scenario descriptions of the suite.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { RETRY_INTERVAL_MS, createConformanceServer } from './conformance-features.mjs';

async function serveStdio() {
  const server = createConformanceServer();
  await server.connect(new StdioServerTransport());
  // The supervisor stops us by closing stdin first.
  process.stdin.once('end', () => void server.close().finally(() => process.exit(0)));
}

// ---------------------------------------------------------------------------------------------
// Streamable HTTP

const MAX_SESSIONS = 200;
const SESSION_IDLE_MS = 5 * 60_000;
const MAX_STORED_EVENTS = 10_000;

/**
 * Keeps the messages sent on SSE streams so a client that reconnects with Last-Event-ID gets
 * what it missed. Event ids are `<streamId>#<sequence>`, so they sort within a stream.
 */
class InMemoryEventStore {
  #events = new Map(); // eventId -> { streamId, sequence, message }, in insertion order
  #sequence = 0;

  async storeEvent(streamId, message) {
    const sequence = ++this.#sequence;
    const eventId = `${streamId}#${sequence}`;
    this.#events.set(eventId, { streamId, sequence, message });
    if (this.#events.size > MAX_STORED_EVENTS) this.#events.delete(this.#events.keys().next().value);
    return eventId;
  }

  async getStreamIdForEventId(eventId) {
    return this.#events.get(eventId)?.streamId;
  }

  async replayEventsAfter(lastEventId, { send }) {
    const last = this.#events.get(lastEventId);
    if (!last) throw new Error(`Unknown event id: ${lastEventId}`);
    for (const [eventId, event] of this.#events) {
      // Priming events carry no message: there is nothing to replay for them.
      const isPriming = Object.keys(event.message).length === 0;
      if (event.streamId === last.streamId && event.sequence > last.sequence && !isPriming) {
        await send(eventId, event.message);
      }
    }
    return last.streamId;
  }
}

/** Owns the live sessions: one transport and one McpServer each; closes idle ones. */
class SessionTable {
  #sessions = new Map(); // sessionId -> { transport, server, lastSeen }
  #sweeper = setInterval(() => this.#closeIdle(), SESSION_IDLE_MS / 5).unref();

  get size() {
    return this.#sessions.size;
  }

  get(sessionId) {
    const session = this.#sessions.get(sessionId);
    if (session) session.lastSeen = Date.now();
    return session;
  }

  /** Creates a transport that joins the table once the client's initialize succeeds. */
  async open(transportOptions) {
    const server = createConformanceServer();
    const transport = new StreamableHTTPServerTransport({
      ...transportOptions,
      sessionIdGenerator: randomUUID,
      eventStore: new InMemoryEventStore(),
      retryInterval: RETRY_INTERVAL_MS,
      onsessioninitialized: (sessionId) => this.#sessions.set(sessionId, { transport, server, lastSeen: Date.now() }),
    });
    transport.onclose = () => {
      if (transport.sessionId) this.#sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    return { transport, server };
  }

  async closeAll() {
    clearInterval(this.#sweeper);
    await Promise.allSettled([...this.#sessions.values()].map(({ server }) => server.close()));
    this.#sessions.clear();
  }

  #closeIdle() {
    const cutoff = Date.now() - SESSION_IDLE_MS;
    for (const { server, lastSeen } of this.#sessions.values()) {
      if (lastSeen < cutoff) void server.close();
    }
  }
}

function sendJsonRpcError(res, status, message) {
  res
    .writeHead(status, { 'Content-Type': 'application/json' })
    .end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

async function handleMcpRequest(req, res, sessions, transportOptions) {
  const sessionId = req.headers['mcp-session-id'];
  if (sessionId !== undefined) {
    const session = sessions.get(sessionId);
    if (!session) return sendJsonRpcError(res, 404, 'Session not found');
    return session.transport.handleRequest(req, res);
  }
  if (req.method !== 'POST') return sendJsonRpcError(res, 400, 'Bad Request: Mcp-Session-Id header is required');
  if (sessions.size >= MAX_SESSIONS) return sendJsonRpcError(res, 503, 'Too many sessions');
  // Without a session id only initialize is valid; the transport itself rejects anything else
  // (and a foreign Host/Origin), after which the unused session is dropped.
  const { transport, server } = await sessions.open(transportOptions);
  await transport.handleRequest(req, res);
  if (transport.sessionId === undefined) await server.close();
}

async function serveHttp(port) {
  const sessions = new SessionTable();
  let transportOptions;
  const httpServer = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname !== '/mcp') return void res.writeHead(404).end();
    handleMcpRequest(req, res, sessions, transportOptions).catch((error) => {
      console.error('conformance fixture: request failed:', error);
      if (!res.headersSent) sendJsonRpcError(res, 500, 'Internal error');
      else res.end();
    });
  });
  await new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, '127.0.0.1', resolve);
  });
  const actualPort = httpServer.address().port;
  // DNS-rebinding protection: only our own loopback names are acceptable Host/Origin values.
  const hosts = [`127.0.0.1:${actualPort}`, `localhost:${actualPort}`, `[::1]:${actualPort}`];
  transportOptions = {
    enableDnsRebindingProtection: true,
    allowedHosts: hosts,
    allowedOrigins: hosts.map((host) => `http://${host}`),
  };
  process.stdout.write(`listening on http://127.0.0.1:${actualPort}/mcp\n`);

  const shutdown = () => {
    httpServer.closeAllConnections();
    httpServer.close();
    void sessions.closeAll().finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const mode = argv.includes('--http') ? 'http' : argv.includes('--stdio') ? 'stdio' : undefined;
  const portIndex = argv.indexOf('--port');
  const port = portIndex === -1 ? 0 : Number(argv[portIndex + 1]);
  if (!mode || !Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('usage: conformance-server.mjs --stdio | --http [--port N]');
    process.exit(2);
  }
  return { mode, port };
}

const { mode, port } = parseArgs(process.argv.slice(2));
await (mode === 'stdio' ? serveStdio() : serveHttp(port));
