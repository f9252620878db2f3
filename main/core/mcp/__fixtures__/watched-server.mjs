#!/usr/bin/env node
// An MCP 2026-07-28 stdio server made with the SDK v2 (`@modelcontextprotocol/server`) whose
// resources can be subscribed to, through `subscriptions/listen` only (2026-07-28 has no
// `resources/subscribe`): the SDK's stdio entry sends `notifications/resources/updated` on each
// listen whose `resourceSubscriptions` names the URI. It also tells which listens it holds open, as
// it read them from its own stdin.
// Resources: note://a, note://b, note://c, note://d (text: "<name> v<n>", n counts the touches).
// Tools:
//   touch    ({ uri }) → the resource changes: "touched <uri>", and its update goes to the listens;
//   listens  () → JSON: the open listens, oldest first, each the URIs it carries, e.g. [["note://a"]].
import { McpServer } from '@modelcontextprotocol/server';
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import * as z from 'zod';

const text = (value) => ({ content: [{ type: 'text', text: value }] });
const NAMES = ['a', 'b', 'c', 'd'];
const versions = new Map(NAMES.map((name) => [`note://${name}`, 1]));

/** The listens open now, by request id: what the server read on stdin (listens in, cancellations out). */
const listens = new Map();
function observe(message) {
  if (message.method === 'subscriptions/listen' && message.id !== undefined) {
    listens.set(message.id, message.params?.notifications?.resourceSubscriptions ?? []);
  } else if (message.method === 'notifications/cancelled') {
    listens.delete(message.params?.requestId);
  }
}

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
    await server.server.sendResourceUpdated({ uri });
    return text(`touched ${uri}`);
  });
  server.registerTool('listens', { description: 'The open listens', inputSchema: z.object({}) }, () =>
    text(JSON.stringify([...listens.values()])),
  );
  return server;
}

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
