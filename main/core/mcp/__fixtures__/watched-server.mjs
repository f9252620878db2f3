#!/usr/bin/env node
// An MCP 2026-07-28 stdio server made with the SDK v2 (`@modelcontextprotocol/server`) whose
// resources can be subscribed to, through `subscriptions/listen` only (2026-07-28 has no
// `resources/subscribe`): the SDK's stdio entry sends `notifications/resources/updated` on each
// listen whose `resourceSubscriptions` names the URI. It also tells which listens it holds open, as
// it read them from its own stdin.
//   node watched-server.mjs          on stdio (2026-07-28 only);
//   node watched-server.mjs --http   Streamable HTTP at http://127.0.0.1:<port>/mcp, the SDK v2's
//                                    handler (its updates go to the listen streams open then; a
//                                    listen ends when its stream is closed); prints `listening on …`.
// Resources: note://a, note://b, note://c, note://d (text: "<name> v<n>", n counts the touches).
// Tools:
//   touch    ({ uri }) → the resource changes: "touched <uri>", and its update goes to the listens;
//   listens  () → JSON: the open listens, oldest first, each the URIs it carries, e.g. [["note://a"]].
import { createServer as createHttpServer } from 'node:http';
import { Readable, pipeline } from 'node:stream';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import * as z from 'zod';

const text = (value) => ({ content: [{ type: 'text', text: value }] });
const NAMES = ['a', 'b', 'c', 'd'];
const versions = new Map(NAMES.map((name) => [`note://${name}`, 1]));

/** The listens open now, by request id: on stdio, listens in and cancellations out; over HTTP, until the stream closes. */
const listens = new Map();
function observe(message) {
  if (message.method === 'subscriptions/listen' && message.id !== undefined) {
    listens.set(message.id, message.params?.notifications?.resourceSubscriptions ?? []);
  } else if (message.method === 'notifications/cancelled') {
    listens.delete(message.params?.requestId);
  }
}

/** Sends an update to the listens: the instance's own (stdio), or the handler's streams (HTTP). */
let publish = (server, uri) => server.server.sendResourceUpdated({ uri });

function createServer() {
  const server = new McpServer(
    { name: 'watched-fixture', version: '1.0.0' },
    { capabilities: { tools: {}, resources: { subscribe: true } } },
  );
  for (const name of NAMES) {
    const uri = `note://${name}`;
    server.registerResource(name, uri, { mimeType: 'text/plain' }, () => ({
      contents: [{ uri, text: `${name} v${versions.get(uri)}` }],
    }));
  }
  server.registerTool('touch', { description: 'Changes a resource', inputSchema: z.object({ uri: z.string() }) }, async ({ uri }) => {
    versions.set(uri, (versions.get(uri) ?? 0) + 1);
    await publish(server, uri);
    return text(`touched ${uri}`);
  });
  server.registerTool('listens', { description: 'The open listens', inputSchema: z.object({}) }, () =>
    text(JSON.stringify([...listens.values()])),
  );
  return server;
}

if (process.argv.includes('--http')) {
  const handler = createMcpHandler(createServer);
  publish = (_server, uri) => handler.notify.resourceUpdated(uri);
  const http = createHttpServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const parsed = body ? JSON.parse(body.toString('utf8')) : undefined;
    // A listen lasts as long as its stream: the client ends it by closing it.
    const closed = new AbortController();
    res.on('close', () => closed.abort());
    if (parsed?.method === 'subscriptions/listen') {
      listens.set(parsed.id, parsed.params?.notifications?.resourceSubscriptions ?? []);
      res.on('close', () => listens.delete(parsed.id));
    }
    const headers = Object.entries(req.headers).flatMap(([name, value]) =>
      Array.isArray(value) ? value.map((one) => [name, one]) : [[name, value]],
    );
    const request = new globalThis.Request(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers,
      signal: closed.signal,
      ...(body && req.method !== 'GET' ? { body } : {}),
    });
    const response = await handler.fetch(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body) pipeline(Readable.fromWeb(response.body), res, () => undefined);
    else res.end();
  });
  http.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${http.address().port}`));
} else {
  // The entry reads its messages through `onmessage`: each is seen here first.
  const transport = new StdioServerTransport();
  let deliver;
  Object.defineProperty(transport, 'onmessage', {
    get: () => deliver && ((message, extra) => (observe(message), deliver(message, extra))),
    set: (handler) => {
      deliver = handler;
    },
  });
  serveStdio(createServer, { transport, legacy: 'reject' });
}
