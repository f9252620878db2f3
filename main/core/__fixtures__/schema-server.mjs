#!/usr/bin/env node
// A stdio MCP server in raw JSON-RPC whose tools have input schemas a plain form cannot express,
// for the dashboard's "try it" fallback to the JSON editor. Each tool answers with the arguments
// it got, as text and as structuredContent.
//
// Tools: `either` (an `anyOf` of a text or a number), `linked` (a `$ref` into `$defs`).
import { createInterface } from 'node:readline';

const PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'];
const tools = [
  {
    name: 'either',
    description: 'Takes a value that is a text or a number.',
    inputSchema: { type: 'object', properties: { value: { anyOf: [{ type: 'string' }, { type: 'number' }] } }, required: ['value'] },
  },
  {
    name: 'linked',
    description: 'Takes a point defined once and referenced.',
    inputSchema: {
      type: 'object',
      $defs: { point: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } }, required: ['x', 'y'] } },
      properties: { at: { $ref: '#/$defs/point' } },
      required: ['at'],
    },
  },
];

const send = (message) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (!line.trim()) return;
  const message = JSON.parse(line);
  if (message.id === undefined || message.method === undefined) return;
  const params = message.params ?? {};
  switch (message.method) {
    case 'initialize':
      return send({
        id: message.id,
        result: {
          protocolVersion: PROTOCOL_VERSIONS.includes(params.protocolVersion) ? params.protocolVersion : PROTOCOL_VERSIONS[0],
          capabilities: { tools: {} },
          serverInfo: { name: 'schema-fixture', version: '1.0.0' },
        },
      });
    case 'ping':
      return send({ id: message.id, result: {} });
    case 'tools/list':
      return send({ id: message.id, result: { tools } });
    case 'tools/call': {
      if (!tools.some((tool) => tool.name === params.name))
        return send({ id: message.id, error: { code: -32602, message: `Unknown tool: ${params.name}` } });
      const got = params.arguments ?? {};
      return send({ id: message.id, result: { content: [{ type: 'text', text: `got ${JSON.stringify(got)}` }], structuredContent: got } });
    }
    default:
      return send({ id: message.id, error: { code: -32601, message: `Method not found: ${message.method}` } });
  }
});
lines.on('close', () => process.exit(0));
