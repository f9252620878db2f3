#!/usr/bin/env node
// One server of the planner evaluation's workspace, over stdio, with the MCP SDK:
//   node workspace-server.mjs github|notion|slack|filesystem|search
// Tools come from workspace-tools.mjs; each answers deterministic made-up data of its output's
// shape (as structuredContent when it declares an output schema), and its arguments as text.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { RECORDS, SERVERS } from './workspace-tools.mjs';

const name = process.argv[2];
const tools = SERVERS[name];
if (!tools) {
  process.stderr.write(`usage: workspace-server.mjs ${Object.keys(SERVERS).join('|')}\n`);
  process.exit(2);
}

/** A zod schema of one field of the notation. */
function field(spec) {
  const optional = spec.endsWith('?');
  const type = optional ? spec.slice(0, -1) : spec;
  let schema;
  if (type === 'string') schema = z.string();
  else if (type === 'integer') schema = z.number().int();
  else if (type === 'boolean') schema = z.boolean();
  else if (type === 'object') schema = z.record(z.string(), z.unknown());
  else if (type === 'string[]') schema = z.array(z.string());
  else if (type.endsWith('[]')) schema = z.array(z.object(shape(RECORDS[type.slice(0, -2)])));
  else if (type.includes('|')) schema = z.enum(type.split('|'));
  else throw new Error(`unknown field type ${type}`);
  return optional ? schema.optional() : schema;
}

function shape(fields) {
  return Object.fromEntries(Object.entries(fields).map(([key, spec]) => [key, field(spec)]));
}

/** Made-up data of a shape, the same on every call with the same arguments. */
function sample(spec, key, seed) {
  const type = spec.replace(/\?$/, '');
  if (type === 'string') return `${key}-${seed}`;
  if (type === 'integer') return 40 + (seed % 7);
  if (type === 'boolean') return true;
  if (type === 'object') return {};
  if (type === 'string[]') return [`${key}-${seed}-a`, `${key}-${seed}-b`];
  if (type.endsWith('[]'))
    return [0, 1, 2].map((i) =>
      Object.fromEntries(Object.entries(RECORDS[type.slice(0, -2)]).map(([k, s]) => [k, sample(s, k, seed + i)])),
    );
  return type.split('|')[0];
}

function seedOf(args) {
  let hash = 7;
  for (const char of JSON.stringify(args)) hash = (hash * 31 + char.charCodeAt(0)) % 9973;
  return hash;
}

const server = new McpServer({ name: `${name}-fixture`, version: '1.0.0' });
for (const [tool, description, input, kind, output] of tools) {
  server.registerTool(
    tool,
    {
      description,
      inputSchema: shape(input),
      ...(output ? { outputSchema: shape(output) } : {}),
      annotations:
        kind === 'read'
          ? { readOnlyHint: true }
          : { readOnlyHint: false, destructiveHint: tool.startsWith('delete') || tool.startsWith('archive') },
    },
    (args) => {
      const seed = seedOf(args);
      const structured = output
        ? Object.fromEntries(Object.entries(output).map(([key, spec]) => [key, sample(spec, key, seed)]))
        : undefined;
      const text = JSON.stringify(structured ?? { ok: true, tool: `${name}.${tool}`, arguments: args });
      return { content: [{ type: 'text', text }], ...(structured ? { structuredContent: structured } : {}) };
    },
  );
}

process.stdin.on('end', () => process.exit(0));
await server.connect(new StdioServerTransport());
