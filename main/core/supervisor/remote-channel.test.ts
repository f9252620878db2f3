import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLinesAsEvents } from './remote-channel.js';

let server: Server;
let base: string;
const bodies: Record<string, { type: string; body: string }> = {
  '/lines': {
    type: 'application/json',
    body: '{"jsonrpc":"2.0","method":"notifications/progress","params":{}}\n{"jsonrpc":"2.0","id":1,"result":{}}\n',
  },
  '/one': { type: 'application/json', body: '{"jsonrpc":"2.0","id":1,"result":{"text":"a\\nb"}}' },
  '/pretty': { type: 'application/json', body: '{\n  "jsonrpc": "2.0",\n  "id": 1,\n  "result": {}\n}' },
  '/events': { type: 'text/event-stream', body: 'event: message\ndata: {}\n\n' },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const { type, body } = bodies[req.url!]!;
    res.writeHead(200, { 'content-type': type });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => server.close());

describe('reading an answer of JSON lines', () => {
  it('hands several JSON-RPC messages on one line each on as the SSE stream they stand for', async () => {
    const response = await jsonLinesAsEvents(`${base}/lines`);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(await response.text()).toBe(
      'event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{}}\n\n' +
        'event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\n\n',
    );
  });

  it('leaves a single JSON answer, a pretty-printed one and an SSE stream as they are', async () => {
    for (const path of ['/one', '/pretty', '/events']) {
      const response = await jsonLinesAsEvents(`${base}${path}`);
      expect(response.headers.get('content-type'), path).toBe(bodies[path]!.type);
      expect(await response.text(), path).toBe(bodies[path]!.body);
    }
  });
});
