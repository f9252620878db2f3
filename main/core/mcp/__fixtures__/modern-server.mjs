#!/usr/bin/env node
// An MCP 2026-07-28 server made with the SDK v2 (`@modelcontextprotocol/server`): what MCP Orch
// speaks 2026-07-28 to (a server that says so in `server/discover`).
//   node modern-server.mjs            on stdio;
//   node modern-server.mjs --http     Streamable HTTP at http://127.0.0.1:<port>/mcp (both
//                                     generations, as the SDK serves them); prints
//                                     `listening on http://127.0.0.1:<port>` once ready.
// Tools:
//   greet     ({ who }) → "hello <who>";
//   ask_name  answers `input_required` (an elicitation, key `name`) until the retry brings the
//             answer, then "Hello <name>";
import { createServer as createHttpServer } from 'node:http';
import { Readable } from 'node:stream';
import { McpServer, createMcpHandler, inputRequired } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import * as z from 'zod';

const text = (value) => ({ content: [{ type: 'text', text: value }] });
const askFor = (key, message) =>
  inputRequired({
    inputRequests: {
      [key]: inputRequired.elicit({
        message,
        requestedSchema: { type: 'object', properties: { [key]: { type: 'string' } }, required: [key] },
      }),
    },
  });
/** What the client answered under `key` in this retry's inputResponses, if it accepted. */
const answered = (ctx, key) => {
  const response = ctx.mcpReq.inputResponses?.[key];
  return response?.action === 'accept' ? response.content?.[key] : undefined;
};

function createServer() {
  const server = new McpServer({ name: 'modern-fixture', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.registerTool('greet', { description: 'Greets', inputSchema: z.object({ who: z.string() }) }, ({ who }) => text(`hello ${who}`));
  server.registerTool('ask_name', { description: 'Asks for a name', inputSchema: z.object({}) }, (_args, ctx) => {
    const name = answered(ctx, 'name');
    return name === undefined ? askFor('name', 'Your name?') : text(`Hello ${name}`);
  });

  return server;
}

if (process.argv.includes('--http')) {
  const handler = createMcpHandler(createServer);
  const http = createHttpServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const url = `http://${req.headers.host}${req.url}`;
    const headers = Object.entries(req.headers).flatMap(([name, value]) =>
      Array.isArray(value) ? value.map((one) => [name, one]) : [[name, value]],
    );
    const response = await handler.fetch(
      new Request(url, { method: req.method, headers, ...(body && req.method !== 'GET' ? { body } : {}) }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body) Readable.fromWeb(response.body).pipe(res);
    else res.end();
  });
  http.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${http.address().port}`));
} else {
  // The opening exchange picks the generation: `server/discover` pins 2026-07-28, `initialize` 2025.
  serveStdio(createServer);
}
