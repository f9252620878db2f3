#!/usr/bin/env node
// The proxy benchmark's 2026-07-28 floor: the echo fixture's two tools served by the SDK v2 itself
// (`@modelcontextprotocol/server`'s `createMcpHandler`, stateless, adapted to `node:http` by
// `@modelcontextprotocol/node`'s `toNodeHandler`), at its defaults.
//
//   node bench/proxy/modern-echo-server.mjs [--port N]
//
// Serves http://127.0.0.1:<port>/mcp and prints `listening on http://127.0.0.1:<port>` once ready.
// Tools, as in main/core/mcp/__fixtures__/echo-server.mjs: `echo` ({ text }) returns the text;
// `sleep` ({ ms }) waits, then returns "slept <ms>". The SDK makes a fresh server per request
// (its stateless design); 2025 requests get its stateless legacy serving, which the bench does not use.
import { createServer } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import * as z from 'zod';

const MAX_SLEEP_MS = 60_000;

function createEchoServer() {
  const server = new McpServer({ name: 'echo-fixture-2026', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.registerTool(
    'echo',
    { description: 'Returns the text it is given.', inputSchema: z.object({ text: z.string() }) },
    ({ text }) => ({
      content: [{ type: 'text', text }],
    }),
  );
  server.registerTool(
    'sleep',
    {
      description: 'Waits `ms` milliseconds, then answers.',
      inputSchema: z.object({ ms: z.number().int().min(0).max(MAX_SLEEP_MS) }),
    },
    async ({ ms }) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return { content: [{ type: 'text', text: `slept ${ms}` }] };
    },
  );
  return server;
}

function portOf(argv) {
  const at = argv.indexOf('--port');
  const port = at === -1 ? 0 : Number(argv[at + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be 0..65535');
  return port;
}

const serve = toNodeHandler(createMcpHandler(createEchoServer));
const httpServer = createServer((req, res) => {
  if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== '/mcp') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    return;
  }
  Promise.resolve(serve(req, res)).catch((error) => {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(String(error?.message ?? error));
  });
});
httpServer.keepAliveTimeout = 60_000;
httpServer.listen(portOf(process.argv.slice(2)), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${httpServer.address().port}`);
});
const stop = () => {
  httpServer.closeAllConnections();
  httpServer.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
