#!/usr/bin/env node
// The stdio MCP server of the soak benchmark (bench/soak): the echo fixture's `echo` and `sleep`,
// plus what a soak needs to observe from the server's side.
//
//   node soak-server.mjs --stdio [--log <file>]
//
// Tools:
//   echo  { text }         returns the text
//   sleep { ms }           waits, then returns "slept <ms>"
//   blob  { bytes, seed }  returns one text of exactly `bytes` characters: `<seed>|` then a fixed
//                          filler (soak-blob.mjs), so a client can check every byte it got
//   work  { ms, tag }      waits `ms` unless the call is cancelled; records in the log when it
//                          started, and whether it was cancelled (`notifications/cancelled`) or ran out
//
// With `--log`, one JSON line per event is appended to the file: `start` (the process is serving),
// `work-start`, `work-cancelled`, `work-done`, and `stdin-end` (the client went away, with the
// tags of the work still running). Times are wall-clock milliseconds (performance.timeOrigin + now).
import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { blobText } from './soak-blob.mjs';

const MAX_SLEEP_MS = 60_000;
const MAX_WORK_MS = 120_000;
const MAX_BLOB_BYTES = 32 * 1024 * 1024;

function parseArgs(argv) {
  const options = { stdio: false, log: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--stdio') options.stdio = true;
    else if (argv[i] === '--log') options.log = argv[(i += 1)];
    else throw new Error(`unknown argument: ${argv[i]}`);
  }
  if (!options.stdio) throw new Error('usage: soak-server.mjs --stdio [--log <file>]');
  return options;
}

function createLogger(file) {
  if (!file) return () => undefined;
  return (event) => {
    // One short line per write: appends of less than a pipe buffer are not interleaved.
    appendFileSync(file, `${JSON.stringify({ ...event, pid: process.pid, t: performance.timeOrigin + performance.now() })}\n`);
  };
}

function createSoakServer(log) {
  const running = new Set();
  const server = new McpServer({ name: 'soak-fixture', version: '1.0.0' });
  const readOnly = { readOnlyHint: true };
  server.registerTool(
    'echo',
    { description: 'Returns the text it is given.', inputSchema: { text: z.string() }, annotations: readOnly },
    ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  server.registerTool(
    'sleep',
    {
      description: 'Waits `ms` milliseconds, then answers.',
      inputSchema: { ms: z.number().int().min(0).max(MAX_SLEEP_MS) },
      annotations: readOnly,
    },
    async ({ ms }) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return { content: [{ type: 'text', text: `slept ${ms}` }] };
    },
  );
  server.registerTool(
    'blob',
    {
      description: 'Returns one text of exactly `bytes` characters that starts with `<seed>|`.',
      inputSchema: { bytes: z.number().int().min(1).max(MAX_BLOB_BYTES), seed: z.string().max(200) },
      annotations: readOnly,
    },
    ({ bytes, seed }) => ({ content: [{ type: 'text', text: blobText(bytes, seed) }] }),
  );
  server.registerTool(
    'work',
    {
      description: 'Waits `ms` unless cancelled, and records in the log whether it was cancelled.',
      inputSchema: { ms: z.number().int().min(0).max(MAX_WORK_MS), tag: z.string().max(200) },
      annotations: readOnly,
    },
    async ({ ms, tag }, extra) => {
      running.add(tag);
      log({ ev: 'work-start', tag });
      const outcome = await new Promise((resolve) => {
        const timer = setTimeout(() => resolve('done'), ms);
        extra.signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve('cancelled');
          },
          { once: true },
        );
      });
      running.delete(tag);
      log({ ev: `work-${outcome}`, tag, reason: outcome === 'cancelled' ? String(extra.signal.reason ?? '') : undefined });
      return { content: [{ type: 'text', text: `worked ${ms}` }] };
    },
  );
  return { server, running };
}

const options = parseArgs(process.argv.slice(2));
const log = createLogger(options.log);
const { server, running } = createSoakServer(log);
// Exit when the parent closes our stdin: the usual end of a stdio server's life.
process.stdin.on('end', () => {
  log({ ev: 'stdin-end', running: [...running] });
  process.exit(0);
});
await server.connect(new StdioServerTransport());
log({ ev: 'start' });
