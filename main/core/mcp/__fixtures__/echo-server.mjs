#!/usr/bin/env node
// A minimal, fast MCP server for the endpoint tests and the proxy benchmark.
//
//   node echo-server.mjs --stdio
//   node echo-server.mjs --http --port 0 [--json-response]
//
// Tools: `echo` ({ text }) returns the text; `sleep` ({ ms }) waits, then returns "slept <ms>".
// In --http mode it serves itself with the SDK's own transports on 127.0.0.1 (the "HTTP floor"):
// Streamable HTTP at /mcp (stateful, one transport per session) and legacy SSE at /sse +
// /messages?sessionId=; --json-response answers Streamable requests as plain JSON (the SDK's
// enableJsonResponse). It prints `listening on http://127.0.0.1:<port>` once ready.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_SLEEP_MS = 60_000;
const MAX_SESSIONS = 10_000;

function createEchoServer() {
  const server = new McpServer({ name: 'echo-fixture', version: '1.0.0' });
  server.registerTool('echo', { description: 'Returns the text it is given.', inputSchema: { text: z.string() } }, ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  server.registerTool(
    'sleep',
    { description: 'Waits `ms` milliseconds, then answers.', inputSchema: { ms: z.number().int().min(0).max(MAX_SLEEP_MS) } },
    async ({ ms }) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return { content: [{ type: 'text', text: `slept ${ms}` }] };
    },
  );
  return server;
}

function parseArgs(argv) {
  const options = { mode: undefined, port: 0, jsonResponse: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--stdio') options.mode = 'stdio';
    else if (arg === '--http') options.mode = 'http';
    else if (arg === '--port') options.port = Number(argv[(i += 1)]);
    else if (arg === '--json-response') options.jsonResponse = true;
    else throw new Error(`unknown argument: ${arg}`);
  }
  if (!options.mode) throw new Error('usage: echo-server.mjs --stdio | --http [--port N] [--json-response]');
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new Error('--port must be 0..65535');
  return options;
}

async function serveStdio() {
  const server = createEchoServer();
  const transport = new StdioServerTransport();
  // Exit when the parent closes our stdin: the usual end of a stdio server's life.
  process.stdin.on('end', () => process.exit(0));
  await server.connect(transport);
}

function readJsonBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}

function sendJsonRpcError(res, status, message) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/** Streamable HTTP at /mcp: one transport (and one McpServer) per session. */
/** Streamable HTTP; `jsonResponse`: the SDK's `enableJsonResponse`, its fastest mode (plain JSON answers, no SSE). */
function createStreamableHandler(jsonResponse) {
  const transports = new Map();

  return async function handleStreamable(req, res) {
    const sessionId = req.headers['mcp-session-id'];
    const body = req.method === 'POST' ? await readJsonBody(req) : undefined;
    if (typeof sessionId === 'string') {
      const transport = transports.get(sessionId);
      if (!transport) return sendJsonRpcError(res, 404, 'Session not found');
      return transport.handleRequest(req, res, body);
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      return sendJsonRpcError(res, 400, 'Bad Request: No valid session ID provided');
    }
    if (transports.size >= MAX_SESSIONS) return sendJsonRpcError(res, 503, 'Too many sessions');
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: jsonResponse,
      onsessioninitialized: (id) => transports.set(id, transport),
    });
    transport.onclose = () => {
      if (transport.sessionId) transports.delete(transport.sessionId);
    };
    await createEchoServer().connect(transport);
    return transport.handleRequest(req, res, body);
  };
}

/** Legacy HTTP+SSE at GET /sse and POST /messages?sessionId=. */
function createSseHandlers() {
  const transports = new Map();

  async function openStream(_req, res) {
    if (transports.size >= MAX_SESSIONS) return sendJsonRpcError(res, 503, 'Too many sessions');
    const transport = new SSEServerTransport('/messages', res);
    transports.set(transport.sessionId, transport);
    res.on('close', () => transports.delete(transport.sessionId));
    await createEchoServer().connect(transport);
  }

  async function postMessage(req, res, url) {
    const transport = transports.get(url.searchParams.get('sessionId') ?? '');
    if (!transport) return sendJsonRpcError(res, 404, 'Session not found');
    const body = await readJsonBody(req);
    return transport.handlePostMessage(req, res, body);
  }

  return { openStream, postMessage };
}

async function serveHttp(port, jsonResponse) {
  const streamable = createStreamableHandler(jsonResponse);
  const sse = createSseHandlers();
  const httpServer = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let handled;
    if (url.pathname === '/mcp') handled = streamable(req, res);
    else if (url.pathname === '/sse' && req.method === 'GET') handled = sse.openStream(req, res);
    else if (url.pathname === '/messages' && req.method === 'POST') handled = sse.postMessage(req, res, url);
    else handled = Promise.resolve(sendJsonRpcError(res, 404, 'Not found'));
    handled.catch((error) => {
      if (!res.headersSent) sendJsonRpcError(res, 400, error instanceof Error ? error.message : String(error));
      else res.end();
    });
  });
  httpServer.keepAliveTimeout = 60_000;
  await new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, '127.0.0.1', resolve);
  });
  const address = httpServer.address();
  console.log(`listening on http://127.0.0.1:${address.port}`);
  const stop = () => {
    httpServer.closeAllConnections();
    httpServer.close(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

const options = parseArgs(process.argv.slice(2));
if (options.mode === 'stdio') await serveStdio();
else await serveHttp(options.port, options.jsonResponse);
