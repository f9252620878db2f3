#!/usr/bin/env node
// A stdio MCP server in raw JSON-RPC for the batch_execute tests: it records what it was asked and
// in which order, so a test can see concurrency and cancellation without looking at a clock.
//
// Tools (all read-only but `write`):
//   slow { label, ms }   → records `start <label>`, waits `ms`, records `end <label>`, answers the label
//   events               → structuredContent { events: ["start x", "start y", "end x", …] } in arrival order
//   emit                 → text "emitted", structuredContent { count: 3, items: ["x","y","z"], label } (typed by outputSchema)
//   typed { count, items, text } → echoes its arguments and their JSON types
//   fail                 → a result with isError: true
//   block { label }      → answers only when cancelled; records the cancellation (label and reason)
//   hold { label }       → records `start <label>`, answers only once `release` is called (then records `end <label>`)
//   release              → answers every held call, then itself with how many it released
//   cancellations        → structuredContent { cancelled: [{ label, reason }] }
//   long { size }        → text of `size` characters
//   write { text }       → not read-only: needs approval in a batch; records `write <text>`
// The label of the process is FIXTURE_LABEL. Exits when stdin closes.
import { createInterface } from 'node:readline';

const label = process.env.FIXTURE_LABEL ?? '';
const events = [];
const cancelled = [];
/** Request id → label of the `block` calls waiting. */
const blocked = new Map();
/** Request id and label of the `hold` calls waiting for `release`. */
const held = [];

const readOnly = { readOnlyHint: true };
const object = (properties, required = []) => ({ type: 'object', properties, required });
const tools = [
  {
    name: 'slow',
    inputSchema: object({ label: { type: 'string' }, ms: { type: 'integer', minimum: 0 } }, ['label', 'ms']),
    annotations: readOnly,
  },
  { name: 'events', inputSchema: object({}), annotations: readOnly },
  {
    name: 'emit',
    inputSchema: object({}),
    outputSchema: object({ count: { type: 'integer' }, items: { type: 'array', items: { type: 'string' } }, label: { type: 'string' } }),
    annotations: readOnly,
  },
  {
    name: 'typed',
    inputSchema: object({ count: { type: 'integer' }, items: { type: 'array' }, text: { type: 'string' } }, ['count']),
    annotations: readOnly,
  },
  { name: 'fail', inputSchema: object({}), annotations: readOnly },
  { name: 'block', inputSchema: object({ label: { type: 'string' } }, ['label']), annotations: readOnly },
  { name: 'cancellations', inputSchema: object({}), annotations: readOnly },
  { name: 'hold', inputSchema: object({ label: { type: 'string' } }, ['label']), annotations: readOnly },
  { name: 'release', inputSchema: object({}), annotations: readOnly },
  { name: 'long', inputSchema: object({ size: { type: 'integer' } }, ['size']), annotations: readOnly },
  { name: 'write', inputSchema: object({ text: { type: 'string' } }, ['text']), annotations: { destructiveHint: true } },
];

const send = (message) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
const answer = (id, result) => send({ id, result });
const text = (value, extra = {}) => ({ content: [{ type: 'text', text: value }], ...extra });

function call(id, name, args) {
  switch (name) {
    case 'slow':
      events.push(`start ${args.label}`);
      setTimeout(() => {
        events.push(`end ${args.label}`);
        answer(id, text(args.label, { structuredContent: { label: args.label } }));
      }, args.ms);
      return;
    case 'events':
      return answer(id, text(JSON.stringify(events), { structuredContent: { events } }));
    case 'emit':
      return answer(id, text('emitted', { structuredContent: { count: 3, items: ['x', 'y', 'z'], label } }));
    case 'typed': {
      const types = Object.fromEntries(
        Object.entries(args).map(([key, value]) => [key, Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value]),
      );
      return answer(id, text(JSON.stringify(args), { structuredContent: { received: args, types } }));
    }
    case 'fail':
      return answer(id, text(`failed on purpose (${label})`, { isError: true }));
    case 'block':
      events.push(`start ${args.label}`);
      blocked.set(id, args.label);
      return;
    case 'hold':
      events.push(`start ${args.label}`);
      held.push({ id, label: args.label });
      return;
    case 'release': {
      const released = held.splice(0);
      for (const call of released) {
        events.push(`end ${call.label}`);
        answer(call.id, text(call.label, { structuredContent: { label: call.label } }));
      }
      return answer(id, text(String(released.length), { structuredContent: { released: released.length } }));
    }
    case 'cancellations':
      return answer(id, text(JSON.stringify(cancelled), { structuredContent: { cancelled } }));
    case 'long':
      return answer(id, text('x'.repeat(args.size)));
    case 'write':
      events.push(`write ${args.text}`);
      return answer(id, text(`wrote ${args.text}`));
    default:
      return send({ id, error: { code: -32602, message: `Unknown tool: ${name}` } });
  }
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (!line.trim()) return;
  const message = JSON.parse(line);
  const params = message.params ?? {};
  if (message.method === 'notifications/cancelled') {
    const blockLabel = blocked.get(params.requestId);
    if (blockLabel !== undefined) {
      blocked.delete(params.requestId);
      cancelled.push({ label: blockLabel, reason: String(params.reason ?? '') });
    }
    return;
  }
  if (message.id === undefined || message.method === undefined) return;
  switch (message.method) {
    case 'initialize':
      return answer(message.id, {
        protocolVersion: params.protocolVersion ?? '2025-06-18',
        capabilities: { tools: {} },
        serverInfo: { name: 'batch-fixture', version: '1.0.0' },
      });
    case 'ping':
      return answer(message.id, {});
    case 'tools/list':
      return answer(message.id, { tools });
    case 'tools/call':
      return call(message.id, params.name, params.arguments ?? {});
    default:
      return send({ id: message.id, error: { code: -32601, message: `Method not found: ${message.method}` } });
  }
});
lines.on('close', () => process.exit(0));
