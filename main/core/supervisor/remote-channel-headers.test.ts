// The remote channel to a 2026-07-28 server over Streamable HTTP: a listed tool's `x-mcp-header`
// marks become `Mcp-Param-*` headers on its calls, and a tool with invalid marks is not passed on.
// A 2025 request (no envelope) gets neither. Against a real HTTP server that records what it gets.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RpcMessage, RpcRequest } from '../protocol/jsonrpc.js';
import { META } from '../protocol/versions.js';
import { openRemoteChannel } from './__fixtures__/open-remote-channel.js';
import type { RemoteChannel } from './remote-channel.js';

const TOOLS = [
  {
    name: 'routed',
    inputSchema: {
      type: 'object',
      properties: {
        region: { type: 'string', 'x-mcp-header': 'Region' },
        note: { type: 'string', 'x-mcp-header': 'Note' },
        query: { type: 'string' },
      },
    },
  },
  { name: 'broken', inputSchema: { type: 'object', properties: { data: { type: 'object', 'x-mcp-header': 'Data' } } } },
  { name: 'plain', inputSchema: { type: 'object', properties: {} } },
];

let server: Server;
let url: string;
const calls: { method: string; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.method !== 'POST') return void res.writeHead(405).end();
      const request = JSON.parse(body) as RpcRequest;
      calls.push({ method: request.method, headers: req.headers });
      const result = request.method === 'tools/list' ? { tools: TOOLS } : { content: [] };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: request.id, result }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
});

afterAll(() => server.close());

const logs: string[] = [];
let channel: RemoteChannel | undefined;
afterEach(async () => {
  await channel?.close();
  channel = undefined;
  calls.length = 0;
  logs.length = 0;
});

async function open(): Promise<{ ask(request: RpcRequest): Promise<RpcMessage> }> {
  const opened = await openRemoteChannel(url, logs);
  channel = opened.channel;
  return { ask: opened.ask };
}

const modern = (id: number, method: string, params: Record<string, unknown> = {}): RpcRequest => ({
  jsonrpc: '2.0',
  id,
  method,
  params: { ...params, _meta: { [META.protocolVersion]: '2026-07-28', [META.clientCapabilities]: {} } },
});

describe('SEP-2243 headers toward a 2026-07-28 server', () => {
  it('leaves out a tool with invalid marks and mirrors the marked arguments of a call', async () => {
    const remote = await open();
    const listed = (await remote.ask(modern(1, 'tools/list'))) as unknown as { result: { tools: { name: string }[] } };
    expect(listed.result.tools.map((tool) => tool.name)).toEqual(['routed', 'plain']);
    expect(logs.some((line) => line.includes('tool "broken" left out'))).toBe(true);

    await remote.ask(modern(2, 'tools/call', { name: 'routed', arguments: { region: 'us-west1', note: ' padded ', query: 'SELECT 1' } }));
    const call = calls.find((entry) => entry.method === 'tools/call')!;
    expect(call.headers['mcp-param-region']).toBe('us-west1');
    expect(call.headers['mcp-param-note']).toBe(`=?base64?${Buffer.from(' padded ').toString('base64')}?=`);
    expect(call.headers['mcp-param-query']).toBeUndefined();
  });

  it('sends no custom header for a tool it has not seen listed, nor on 2025 requests', async () => {
    const remote = await open();
    await remote.ask(modern(1, 'tools/call', { name: 'routed', arguments: { region: 'us-west1' } }));
    const legacy = (await remote.ask({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} })) as unknown as {
      result: { tools: unknown[] };
    };
    expect(legacy.result.tools).toHaveLength(3);
    await remote.ask({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'routed', arguments: { region: 'us-west1' } } });
    for (const call of calls) expect(Object.keys(call.headers).filter((name) => name.startsWith('mcp-param-'))).toEqual([]);
  });
});
