#!/usr/bin/env node
// A minimal stdio MCP server in raw JSON-RPC (no SDK: fast to start, fifty at a time), for the
// aggregate's scale and hot-reload tests.
//
//   node many-tools.mjs [--tools N] [--controls]
//
// Tools: `tool_0` … `tool_<N-1>` (N default 3). Each answers with who it is: text and
// structuredContent `{ tool, pid, label }`, where `label` is the `FIXTURE_LABEL` environment variable
// (so a test can see which process, started with which environment, answered).
// With `--controls`, also: `grow` (adds a tool `extra_<k>` and sends notifications/tools/list_changed),
// `announce` (answers, then sends a log message `announce from <label>` that belongs to no request,
// so it goes to every session attached to the server) and `crash` (exits with code 1 without answering).
// Exits when stdin closes.
import { createInterface } from 'node:readline';

const argv = process.argv.slice(2);
const toolsArg = argv.indexOf('--tools');
const count = toolsArg === -1 ? 3 : Number(argv[toolsArg + 1]);
const controls = argv.includes('--controls');
const label = process.env.FIXTURE_LABEL ?? '';
const PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'];

const tool = (name, description) => ({
  name,
  description,
  inputSchema: { type: 'object', properties: { note: { type: 'string' } } },
  annotations: { readOnlyHint: true },
});

const tools = Array.from({ length: count }, (_, index) => tool(`tool_${index}`, `Fixture tool number ${index}.`));
if (controls) {
  tools.push(tool('grow', 'Adds a tool and announces it with tools/list_changed.'));
  tools.push(tool('announce', 'Answers, then sends a log message about no request in particular.'));
  tools.push(tool('crash', 'Exits with code 1 without answering.'));
}
let grown = 0;

const send = (message) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
const answer = (id, result) => send({ id, result });
const fail = (id, code, message) => send({ id, error: { code, message } });

function call(id, name) {
  if (!tools.some((entry) => entry.name === name)) return fail(id, -32602, `Unknown tool: ${name}`);
  if (controls && name === 'crash') process.exit(1);
  if (controls && name === 'grow') {
    const added = `extra_${grown++}`;
    tools.push(tool(added, 'Added by grow.'));
    answer(id, { content: [{ type: 'text', text: added }] });
    send({ method: 'notifications/tools/list_changed' });
    return;
  }
  if (controls && name === 'announce') {
    answer(id, { content: [{ type: 'text', text: 'announced' }] });
    send({ method: 'notifications/message', params: { level: 'info', logger: 'many-tools', data: `announce from ${label}` } });
    return;
  }
  const structuredContent = { tool: name, pid: process.pid, label };
  answer(id, { content: [{ type: 'text', text: JSON.stringify(structuredContent) }], structuredContent });
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (!line.trim()) return;
  const message = JSON.parse(line);
  if (message.id === undefined || message.method === undefined) return; // notifications and responses
  const params = message.params ?? {};
  switch (message.method) {
    case 'initialize':
      return answer(message.id, {
        protocolVersion: PROTOCOL_VERSIONS.includes(params.protocolVersion) ? params.protocolVersion : PROTOCOL_VERSIONS[0],
        capabilities: { tools: { listChanged: true }, ...(controls ? { logging: {} } : {}) },
        serverInfo: { name: 'many-tools', version: '1.0.0' },
      });
    case 'ping':
    case 'logging/setLevel':
      return answer(message.id, {});
    case 'tools/list':
      return answer(message.id, { tools });
    case 'tools/call':
      return call(message.id, params.name);
    default:
      return fail(message.id, -32601, `Method not found: ${message.method}`);
  }
});
lines.on('close', () => process.exit(0));
