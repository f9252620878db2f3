/**
 * Test support for the proxy integration tests: a tap on an SDK client's transport (to see the raw
 * JSON-RPC messages), raw HTTP helpers for the MCP endpoints, and small waiting helpers.
 */
import { request as httpRequest } from 'node:http';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** The probe fixture server (pid, block, cancellations, count). */
export const PROBE_SERVER_PATH = new URL('./probe-server.mjs', import.meta.url).pathname;

/** What MCP Orch declares when it initialises a shared upstream (server-supervisor.ts). */
export const ORCH_UPSTREAM_CAPABILITIES = { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true } };

export interface MessageTap {
  /** Every message the client received, raw, in order. */
  readonly incoming: JSONRPCMessage[];
  /** Every message the client sent, raw, in order. */
  readonly outgoing: JSONRPCMessage[];
}

/** Records the raw messages of a connected client. Call after `connect`. */
export function tapMessages(client: Client): MessageTap {
  const transport = client.transport;
  if (!transport) throw new Error('the client is not connected');
  const tap: MessageTap = { incoming: [], outgoing: [] };
  const onmessage = transport.onmessage;
  transport.onmessage = (message, extra) => {
    tap.incoming.push(structuredClone(message));
    onmessage?.(message, extra);
  };
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    tap.outgoing.push(structuredClone(message));
    return send(message, options);
  };
  return tap;
}

/** The text of the content blocks of a tool result, joined by newlines. */
export function textOf(result: unknown): string {
  const content = (result as { content?: unknown }).content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((block): block is { type: 'text'; text: string } => (block as { type?: unknown }).type === 'text')
    .map((block) => block.text)
    .join('\n');
}

/** A promise with its resolver, for waiting on an event. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Whether a process with this id exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One HTTP request with full control of the headers (fetch cannot set `Host`). */
export function rawHttp(
  url: URL,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface SseEvent {
  id?: string;
  event?: string;
  retry?: string;
  data: string;
}

/** Splits a complete `text/event-stream` body into events (comments dropped). */
export function parseSse(body: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of body.split(/\r?\n\r?\n/)) {
    if (!block.trim()) continue;
    const event: SseEvent = { data: '' };
    const data: string[] = [];
    let fields = 0;
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const name = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      fields++;
      if (name === 'data') data.push(value);
      else if (name === 'id' || name === 'event' || name === 'retry') event[name] = value;
    }
    if (fields === 0) continue;
    event.data = data.join('\n');
    events.push(event);
  }
  return events;
}
