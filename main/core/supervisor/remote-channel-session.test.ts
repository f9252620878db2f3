// The remote channel to a 2025 Streamable HTTP session, against a real HTTP server that records
// what it gets: a request whose connection breaks before any answer (a kept-alive connection the
// server closed as it went out) is sent once more, and a second break ends the channel; after
// `notifications/initialized`, sessionStream waits for the session's GET stream to be answered.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RpcMessage, RpcRequest } from '../protocol/jsonrpc.js';
import type { ChannelCloseInfo } from './channel.js';
import { openRemoteChannel } from './__fixtures__/open-remote-channel.js';
import type { RemoteChannel } from './remote-channel.js';

let server: Server;
let url: string;
/** Behaviour of the next requests: how many tools/list POSTs to drop unread, how long the GET waits, what initialized gets. */
const script = { resets: 0, getResets: 0, getDelayMs: 0, initializedStatus: 202 };
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.method === 'GET') {
      if (script.getResets > 0) {
        script.getResets--;
        seen.push('GET dropped');
        return void req.socket.destroy();
      }
      seen.push('GET');
      const open = () => {
        seen.push('GET answered');
        res.writeHead(200, { 'content-type': 'text/event-stream' }).write(': open\n\n');
      };
      setTimeout(open, script.getDelayMs);
      return;
    }
    if (req.method === 'DELETE') return void res.writeHead(200).end();
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const message = JSON.parse(body) as RpcRequest;
      if (message.method === 'tools/list' && script.resets > 0) {
        script.resets--;
        seen.push('tools/list dropped');
        req.socket.destroy();
        return;
      }
      seen.push(message.method);
      if (message.id === undefined) return void res.writeHead(script.initializedStatus).end();
      const result =
        message.method === 'initialize'
          ? { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 's', version: '1' } }
          : { tools: [] };
      res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'session-1' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const logs: string[] = [];
let channel: RemoteChannel | undefined;
let closed: ChannelCloseInfo | undefined;
afterEach(async () => {
  await channel?.close();
  channel = undefined;
  closed = undefined;
  Object.assign(script, { resets: 0, getResets: 0, getDelayMs: 0, initializedStatus: 202 });
  seen.length = 0;
  logs.length = 0;
});

/** A started channel with an initialized session. */
async function session(): Promise<{ opened: RemoteChannel; ask: (request: RpcRequest) => Promise<RpcMessage> }> {
  const { channel: opened, ask } = await openRemoteChannel(url, logs, (info) => (closed = info));
  channel = opened;
  await ask({
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
  });
  (opened as { setProtocolVersion(v: string): void }).setProtocolVersion('2025-11-25');
  opened.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  return { opened, ask };
}

describe('a request whose connection breaks before any answer', () => {
  it('is sent once more, and answered; the channel stays open', async () => {
    const { ask } = await session();
    script.resets = 1;
    const answer = await ask({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(answer).toMatchObject({ id: 1, result: { tools: [] } });
    expect(seen.filter((what) => what.startsWith('tools/list'))).toEqual(['tools/list dropped', 'tools/list']);
    expect(logs.some((line) => /connection broke before an answer .*: sent again/.test(line))).toBe(true);
    expect(closed).toBeUndefined();
  });

  it('ends the channel when it breaks again: the server is gone, not just a connection', async () => {
    const { opened } = await session();
    script.resets = 2;
    const ended = new Promise<ChannelCloseInfo>((resolve) => (opened.onclose = resolve));
    opened.send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect((await ended).reason).toMatch(/^send failed: fetch failed \(/);
    expect(seen.filter((what) => what.startsWith('tools/list'))).toEqual(['tools/list dropped', 'tools/list dropped']);
  });
});

describe('the session stream after notifications/initialized', () => {
  it('is waited for until the server answers the GET', async () => {
    script.getDelayMs = 300;
    const { opened } = await session();
    await opened.sessionStream(600_000);
    expect(seen).toContain('GET answered');
  });

  it('is opened once more when its connection broke before any answer', async () => {
    script.getResets = 1;
    const { opened } = await session();
    await opened.sessionStream(600_000);
    expect(seen.filter((what) => what.startsWith('GET'))).toEqual(['GET dropped', 'GET', 'GET answered']);
  });

  it('is not waited for when the server answered initialized with anything but 202 (no stream is opened then)', async () => {
    script.initializedStatus = 200;
    const { opened } = await session();
    await opened.sessionStream(600_000);
    expect(seen).toContain('notifications/initialized');
    expect(seen).not.toContain('GET');
  });

  it('is waited for no longer than the bound', async () => {
    script.getDelayMs = 60_000;
    const { opened } = await session();
    await opened.sessionStream(200);
    expect(seen).not.toContain('GET answered');
  });
});
