#!/usr/bin/env node
// The example MCP server of the default configuration: small, dependency-free beyond the MCP SDK,
// so a fresh install has one working server to try every endpoint with.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'mcp-orch-example', version: '1.0.0' });

server.registerTool(
  'echo',
  { description: 'Returns the text it is given.', inputSchema: { text: z.string() }, annotations: { readOnlyHint: true } },
  async ({ text }) => ({ content: [{ type: 'text', text }] }),
);

server.registerTool(
  'add',
  {
    description: 'Adds two numbers.',
    inputSchema: { a: z.number(), b: z.number() },
    outputSchema: { sum: z.number() },
    annotations: { readOnlyHint: true },
  },
  async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }], structuredContent: { sum: a + b } }),
);

server.registerTool('now', { description: 'The current time as an ISO 8601 string.', annotations: { readOnlyHint: true } }, async () => ({
  content: [{ type: 'text', text: new Date().toISOString() }],
}));

server.registerResource('readme', 'example://readme', { description: 'What this server is.', mimeType: 'text/plain' }, async (uri) => ({
  contents: [{ uri: uri.href, text: 'The example server of MCP Orch: tools echo, add and now.' }],
}));

server.registerPrompt('greet', { description: 'A greeting for someone.', argsSchema: { name: z.string() } }, ({ name }) => ({
  messages: [{ role: 'user', content: { type: 'text', text: `Say hello to ${name}.` } }],
}));

await server.connect(new StdioServerTransport());
