#!/usr/bin/env node
// An MCP server (SDK McpServer over stdio) that misbehaves on request, for the supervisor's fault tests.
//
//   node fault-server.mjs [--grandchild]
//
// Tools: `echo` ({ text }); `pid` (this process's pid, and the grandchild's with --grandchild, as JSON
// text); `hang` (never answers); `slow` ({ ms }); `garbage` (writes non-JSON and non-JSON-RPC lines to
// stdout, then answers); `crash` (exits with code 1 without answering).
// stderr lines the tests wait for: `ready`, `started <tool> <requestId>`, `aborted <requestId>: <reason>`
// and `received notifications/cancelled <params as JSON>` for every cancellation that arrives.
// Exits when stdin closes, leaving any grandchild behind: reaping it is the supervisor's job.
import { spawn } from 'node:child_process';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const log = (line) => process.stderr.write(`${line}\n`);
const text = (value) => ({ content: [{ type: 'text', text: value }] });

let grandchild;
if (process.argv.includes('--grandchild')) {
  grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await new Promise((resolve, reject) => {
    grandchild.once('spawn', resolve);
    grandchild.once('error', reject);
  });
}

const server = new McpServer({ name: 'fault-fixture', version: '1.0.0' });

server.registerTool('echo', { inputSchema: { text: z.string() } }, ({ text: value }) => text(value));

server.registerTool('pid', {}, () => text(JSON.stringify({ pid: process.pid, grandchild: grandchild?.pid })));

server.registerTool('hang', {}, (extra) => {
  log(`started hang ${extra.requestId}`);
  extra.signal.addEventListener('abort', () => log(`aborted ${extra.requestId}: ${String(extra.signal.reason)}`), { once: true });
  return new Promise(() => {});
});

server.registerTool('slow', { inputSchema: { ms: z.number().int().min(0) } }, async ({ ms }, extra) => {
  log(`started slow ${extra.requestId}`);
  await new Promise((resolve) => setTimeout(resolve, ms));
  return text(`slept ${ms}`);
});

server.registerTool('garbage', {}, async () => {
  await new Promise((resolve) => process.stdout.write('this is not JSON-RPC {{{\n', resolve));
  await new Promise((resolve) => process.stdout.write('[1, 2, "also not a message"]\n', resolve));
  // What a JSON logger (pino, bunyan) writing to stdout by mistake produces: JSON, but not JSON-RPC.
  await new Promise((resolve) => process.stdout.write('{"level":30,"msg":"json log line on stdout"}\n', resolve));
  return text('answered after garbage');
});

server.registerTool('crash', {}, () => process.exit(1));

const transport = new StdioServerTransport();
await server.connect(transport);

// Record every cancellation exactly as it arrives, before the SDK acts on it.
const receive = transport.onmessage;
transport.onmessage = (message, extra) => {
  if (message.method === 'notifications/cancelled') log(`received notifications/cancelled ${JSON.stringify(message.params)}`);
  receive?.(message, extra);
};

process.stdin.on('end', () => process.exit(0));
log('ready');
