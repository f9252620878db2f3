/**
 * A local LLM endpoint (node:http on 127.0.0.1, port 0) that speaks the providers' wire formats,
 * so the real provider packages are tested over real HTTP: OpenAI/Azure Responses and Chat
 * Completions (JSON and server-sent events), Bedrock Converse (JSON) and ConverseStream (the AWS
 * binary event stream), Anthropic Messages. Each request is answered from a script: the plan as
 * JSON text in the API's shape, an HTTP error, a malformed body, a stream cut halfway, or one that
 * stalls halfway until the caller gives up.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';

/** One request as the endpoint saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** Set when the caller closed the connection before the answer ended (a `stall` it gave up on). */
  closedEarly?: boolean;
}

/** How to answer one request. */
export type Reply =
  | { kind: 'plan'; text: string; usage?: { input: number; output: number } }
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'malformed' }
  | { kind: 'cut' }
  /** The plan's first half, then nothing until the caller gives up (or the endpoint closes). */
  | { kind: 'stall'; text: string };

export interface LlmEndpoint {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

type Api = 'responses' | 'chat' | 'converse' | 'converse-stream' | 'messages';

function apiOf(path: string): Api | undefined {
  if (/\/responses(\?|$)/.test(path)) return 'responses';
  if (/\/chat\/completions(\?|$)/.test(path)) return 'chat';
  if (/\/model\/[^/]+\/converse-stream$/.test(path)) return 'converse-stream';
  if (/\/model\/[^/]+\/converse$/.test(path)) return 'converse';
  if (/\/messages(\?|$)/.test(path)) return 'messages';
  return undefined;
}

/** Starts the endpoint; `script` answers each request in turn. */
export async function startLlmEndpoint(script: (request: SeenRequest, index: number) => Reply): Promise<LlmEndpoint> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 4_000_000) chunks.push(chunk);
    });
    req.on('end', () => {
      const path = decodeURIComponent(req.url ?? '/');
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        // Kept empty: the test sees the request anyway.
      }
      const seen: SeenRequest = { method: req.method ?? 'GET', path, headers: req.headers, body };
      requests.push(seen);
      const api = apiOf(path.split('?')[0]!);
      if (!api) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"no such route"}}');
        return;
      }
      res.on('close', () => {
        if (!res.writableEnded) seen.closedEarly = true;
      });
      answer(res, api, body.stream === true || api === 'converse-stream', script(seen, requests.length - 1));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(res: ServerResponse, api: Api, streaming: boolean, reply: Reply): void {
  if (reply.kind === 'status') {
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(
      reply.body ??
        JSON.stringify({
          error: { message: `status ${reply.status}`, type: 'test', code: String(reply.status) },
          message: `status ${reply.status}`,
        }),
    );
    return;
  }
  if (reply.kind === 'malformed') {
    res.writeHead(200, { 'content-type': streaming && api !== 'converse-stream' ? 'text/event-stream' : 'application/json' });
    res.end(streaming ? 'data: {"this is": not json\n\n' : '{"choices": [ this is not json');
    return;
  }
  const text =
    reply.kind === 'plan' || reply.kind === 'stall'
      ? reply.text
      : '{"tasks":[{"id":"a","tool":"x__y","arguments":{"long":"' + 'x'.repeat(200) + '"}}],"output":["a"]}';
  const usage = reply.kind === 'plan' ? (reply.usage ?? { input: 321, output: 45 }) : { input: 1, output: 1 };
  const pieces = splitText(text, 24);
  if (!streaming) {
    const whole = JSON.stringify(wholeBody(api, text, usage));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(whole)) });
    if (reply.kind === 'cut' || reply.kind === 'stall') {
      res.write(whole.slice(0, whole.length >> 1));
      if (reply.kind === 'cut') res.socket?.destroy();
    } else {
      res.end(whole);
    }
    return;
  }
  const events = api === 'converse-stream' ? bedrockEvents(pieces, usage) : sseEvents(api, pieces, usage);
  res.writeHead(200, { 'content-type': api === 'converse-stream' ? 'application/vnd.amazon.eventstream' : 'text/event-stream' });
  if (reply.kind === 'cut' || reply.kind === 'stall') {
    // Half of the answer, then the socket closes under the reader (cut), or stays open and silent (stall).
    for (const event of events.slice(0, Math.ceil(events.length / 2))) res.write(event);
    if (reply.kind === 'cut') res.socket?.destroy();
    return;
  }
  for (const event of events) res.write(event);
  res.end();
}

function splitText(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
  return pieces;
}

const created = 1_767_225_600;

function wholeBody(api: Api, text: string, usage: { input: number; output: number }): unknown {
  switch (api) {
    case 'responses':
      return {
        id: 'resp_1',
        object: 'response',
        created_at: created,
        model: 'test-model',
        status: 'completed',
        output: [
          {
            type: 'message',
            id: 'msg_1',
            role: 'assistant',
            status: 'completed',
            content: [{ type: 'output_text', text, annotations: [] }],
          },
        ],
        incomplete_details: null,
        usage: { input_tokens: usage.input, output_tokens: usage.output, total_tokens: usage.input + usage.output },
      };
    case 'chat':
      return {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created,
        model: 'test-model',
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
      };
    case 'converse':
    case 'converse-stream':
      return {
        output: {
          message: { role: 'assistant', content: [{ toolUse: { toolUseId: 'tool_1', name: 'json', input: JSON.parse(text) as unknown } }] },
        },
        stopReason: 'tool_use',
        usage: { inputTokens: usage.input, outputTokens: usage.output, totalTokens: usage.input + usage.output },
      };
    case 'messages':
      return {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'test-model',
        content: [{ type: 'text', text }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: usage.input, output_tokens: usage.output },
      };
  }
}

function sse(data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

function sseEvents(api: Api, pieces: string[], usage: { input: number; output: number }): string[] {
  if (api === 'responses') {
    const item = { type: 'message', id: 'msg_1', role: 'assistant', status: 'in_progress', content: [] };
    return [
      sse({
        type: 'response.created',
        sequence_number: 0,
        response: { id: 'resp_1', created_at: created, model: 'test-model', status: 'in_progress' },
      }),
      sse({ type: 'response.output_item.added', sequence_number: 1, output_index: 0, item }),
      ...pieces.map((delta, index) =>
        sse({ type: 'response.output_text.delta', sequence_number: index + 2, item_id: 'msg_1', output_index: 0, content_index: 0, delta }),
      ),
      sse({
        type: 'response.output_item.done',
        sequence_number: pieces.length + 2,
        output_index: 0,
        item: { ...item, status: 'completed' },
      }),
      sse({
        type: 'response.completed',
        sequence_number: pieces.length + 3,
        response: {
          id: 'resp_1',
          created_at: created,
          model: 'test-model',
          status: 'completed',
          incomplete_details: null,
          usage: { input_tokens: usage.input, output_tokens: usage.output, total_tokens: usage.input + usage.output },
        },
      }),
    ];
  }
  if (api === 'chat') {
    const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created,
      model: 'test-model',
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    return [
      sse(chunk({ role: 'assistant', content: '' }, null)),
      ...pieces.map((content) => sse(chunk({ content }, null))),
      sse(chunk({}, 'stop')),
      sse({
        id: 'chatcmpl-1',
        object: 'chat.completion.chunk',
        created,
        model: 'test-model',
        choices: [],
        usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
      }),
      sse('[DONE]'),
    ];
  }
  // Anthropic Messages.
  return [
    sse(
      {
        type: 'message_start',
        message: {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model: 'test-model',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: usage.input, output_tokens: 0 },
        },
      },
      'message_start',
    ),
    sse({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start'),
    ...pieces.map((text) => sse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }, 'content_block_delta')),
    sse({ type: 'content_block_stop', index: 0 }, 'content_block_stop'),
    sse(
      { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.output } },
      'message_delta',
    ),
    sse({ type: 'message_stop' }, 'message_stop'),
  ];
}

/** ConverseStream: the JSON tool's input streamed in pieces, each event one binary frame. */
function bedrockEvents(pieces: string[], usage: { input: number; output: number }): Buffer[] {
  return [
    eventFrame('messageStart', { role: 'assistant' }),
    eventFrame('contentBlockStart', { contentBlockIndex: 0, start: { toolUse: { toolUseId: 'tool_1', name: 'json' } } }),
    ...pieces.map((input) => eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input } } })),
    eventFrame('contentBlockStop', { contentBlockIndex: 0 }),
    eventFrame('messageStop', { stopReason: 'tool_use' }),
    eventFrame('metadata', {
      usage: { inputTokens: usage.input, outputTokens: usage.output, totalTokens: usage.input + usage.output },
      metrics: { latencyMs: 1 },
    }),
  ];
}

/**
 * One message of the AWS event stream encoding: total length and headers length (big-endian
 * uint32), the prelude's CRC32, headers (name length, name, type 7 = string, value length, value),
 * the payload, and the CRC32 of everything before it.
 */
export function eventFrame(eventType: string, payload: unknown): Buffer {
  const headers = Buffer.concat(
    Object.entries({ ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' }).map(([name, value]) => {
      const nameBytes = Buffer.from(name, 'utf8');
      const valueBytes = Buffer.from(value, 'utf8');
      const header = Buffer.alloc(1 + nameBytes.length + 1 + 2 + valueBytes.length);
      header.writeUInt8(nameBytes.length, 0);
      nameBytes.copy(header, 1);
      header.writeUInt8(7, 1 + nameBytes.length);
      header.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
      valueBytes.copy(header, 4 + nameBytes.length);
      return header;
    }),
  );
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const total = 12 + headers.length + body.length + 4;
  const prelude = Buffer.alloc(8);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(headers.length, 4);
  const preludeCrc = Buffer.alloc(4);
  preludeCrc.writeUInt32BE(crc32(prelude), 0);
  const message = Buffer.concat([prelude, preludeCrc, headers, body]);
  const messageCrc = Buffer.alloc(4);
  messageCrc.writeUInt32BE(crc32(message), 0);
  return Buffer.concat([message, messageCrc]);
}
