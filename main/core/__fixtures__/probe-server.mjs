#!/usr/bin/env node
// A small stdio MCP server that lets proxy tests see what happened upstream.
//
// Tools:
//   pid                  → the server's process id (text, and structuredContent { pid })
//   block { label, pad } → reports progress 0 ("started <label>", then `pad` characters) when asked for progress, then
//                          waits until the request is cancelled (at most 60 s); records the
//                          cancellation with its reason
//   cancellations        → the recorded cancellations, as structuredContent { cancelled: [{ label, reason }] },
//                          and the labels of every block call that started ({ started: [label] })
//   count { label, steps } → sends `steps` progress notifications whose message names the call,
//                          then answers with the label
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const MAX_BLOCK_MS = 60_000;
const cancelled = [];
const started = [];

const server = new McpServer({ name: 'mcp-orch-probe', version: '1.0.0' }, { capabilities: { logging: {} } });

server.registerTool('pid', { description: 'The process id of this server.', outputSchema: { pid: z.number() } }, () => ({
  content: [{ type: 'text', text: String(process.pid) }],
  structuredContent: { pid: process.pid },
}));

const blockInput = {
  label: z.string(),
  pad: z
    .number()
    .int()
    .min(0)
    .max(64 * 1024 * 1024)
    .optional(),
};
server.registerTool('block', { description: 'Waits until cancelled.', inputSchema: blockInput }, async ({ label, pad = 0 }, extra) => {
  started.push(label);
  const progressToken = extra._meta?.progressToken;
  if (progressToken !== undefined) {
    await extra.sendNotification({
      method: 'notifications/progress',
      params: { progressToken, progress: 0, message: `started ${label}${'.'.repeat(pad)}` },
    });
  }
  await new Promise((resolve) => {
    const timer = setTimeout(resolve, MAX_BLOCK_MS);
    extra.signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        cancelled.push({ label, reason: String(extra.signal.reason) });
        resolve();
      },
      { once: true },
    );
  });
  return { content: [{ type: 'text', text: `not cancelled: ${label}` }] };
});

server.registerTool(
  'cancellations',
  {
    description: 'The cancellations seen so far.',
    outputSchema: { cancelled: z.array(z.object({ label: z.string(), reason: z.string() })), started: z.array(z.string()) },
  },
  () => ({ content: [{ type: 'text', text: JSON.stringify(cancelled) }], structuredContent: { cancelled, started } }),
);

server.registerTool(
  'count',
  {
    description: 'Reports `steps` progress notifications, then answers with the label.',
    inputSchema: { label: z.string(), steps: z.number().int().min(1).max(100) },
  },
  async ({ label, steps }, extra) => {
    const progressToken = extra._meta?.progressToken;
    for (let step = 1; step <= steps; step++) {
      if (progressToken !== undefined) {
        await extra.sendNotification({
          method: 'notifications/progress',
          params: { progressToken, progress: step, total: steps, message: `${label}#${step}` },
        });
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { content: [{ type: 'text', text: label }] };
  },
);

server.registerTool(
  'blob',
  {
    description: 'Answers `chars` characters of text (a large result).',
    inputSchema: {
      chars: z
        .number()
        .int()
        .min(1)
        .max(64 * 1024 * 1024),
    },
  },
  ({ chars }) => ({ content: [{ type: 'text', text: 'x'.repeat(chars) }] }),
);

// Exit when the parent closes our stdin: the usual end of a stdio server's life.
process.stdin.on('end', () => process.exit(0));
await server.connect(new StdioServerTransport());
