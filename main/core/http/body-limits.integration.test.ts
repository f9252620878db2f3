/**
 * The bounds of a request body (docs/specification.md §13), REST and MCP: a body over the size
 * limit leaves no connection stuck, whatever its framing, and a message nested too deep is refused
 * at the edge. Raw sockets against a real daemon, so that what follows a 413 on the socket shows.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBE_SERVER_PATH } from '../__fixtures__/proxy-test-kit.js';
import { TEST_TOKEN, fixtureServer, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';

const LIMIT = 64 * 1024;
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ probe: fixtureServer(PROBE_SERVER_PATH) }, { runtime: { maxBodyBytes: LIMIT } });
});
afterAll(async () => {
  await harness?.dispose();
});

/** Reads HTTP answers from `socket`: each call resolves with the next whole answer's head, or 'closed'. */
function answers(socket: Socket): () => Promise<string> {
  let buffered = '';
  let ended = false;
  const waiting: (() => void)[] = [];
  const wake = () => waiting.splice(0).forEach((resolve) => resolve());
  socket.on('data', (chunk: Buffer) => ((buffered += chunk.toString('latin1')), wake()));
  socket.on('close', () => ((ended = true), wake()));
  socket.on('error', () => {});
  return async () => {
    for (;;) {
      const end = buffered.indexOf('\r\n\r\n');
      if (end >= 0) {
        const head = buffered.slice(0, end);
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length >= end + 4 + length) {
          buffered = buffered.slice(end + 4 + length);
          return head;
        }
      }
      if (ended) return 'closed';
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };
}

const request = (method: string, path: string, headers: string) =>
  `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TEST_TOKEN}\r\n${headers}\r\n`;

const PATHS = { REST: '/api/tools/probe/pid/call', MCP: '/mcp/probe' };

describe('a body over the limit', () => {
  for (const [api, path] of Object.entries(PATHS))
    for (const framing of ['chunked', 'content-length'] as const) {
      it(`(${api}, ${framing}) is answered 413, and the next request on the connection is answered or the connection is closed`, async () => {
        const socket = connect(harness.runtime.port, '127.0.0.1');
        await once(socket, 'connect');
        const next = answers(socket);
        const body = JSON.stringify({ arguments: { text: 'x'.repeat(4 * LIMIT) } });
        const type = 'Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n';
        if (framing === 'chunked') {
          socket.write(request('POST', path, `${type}Transfer-Encoding: chunked\r\n`));
          for (let at = 0; at < body.length; at += 16 * 1024) {
            const chunk = body.slice(at, at + 16 * 1024);
            socket.write(`${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n`);
          }
          socket.write('0\r\n\r\n');
        } else {
          socket.write(request('POST', path, `${type}Content-Length: ${Buffer.byteLength(body)}\r\n`) + body);
        }
        const refused = await next();
        expect(refused).toMatch(/^HTTP\/1\.1 413/);
        socket.write(request('GET', '/api/servers', ''));
        const after = await next();
        // Either is a clear answer; a connection that stays open and never answers is the defect.
        if (after !== 'closed') expect(after).toMatch(/^HTTP\/1\.1 200/);
        else expect(refused).toMatch(/connection: close/i);
        socket.destroy();
      });
    }
});

describe('arguments nested deeper than the limit', () => {
  const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
  const headers = {
    authorization: `Bearer ${TEST_TOKEN}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  };

  for (const path of ['/mcp/probe', '/mcp']) {
    it(`are refused at the MCP edge (${path}), naming the limit, not blamed on the server`, async () => {
      const opened = await fetch(new URL(path, harness.runtime.url), {
        method: 'POST',
        headers,
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 0,
          method: 'initialize',
          params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'deep', version: '1' } },
        }),
      });
      await opened.arrayBuffer();
      const session = { 'mcp-session-id': opened.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
      const tool = path === '/mcp' ? 'probe__pid' : 'pid';
      const body = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"${tool}","arguments":{"a":${deep(30_000)}}}}`;
      const refused = await fetch(new URL(path, harness.runtime.url), { method: 'POST', headers: { ...headers, ...session }, body });
      expect(refused.status).toBe(400);
      const answer = (await refused.json()) as { error: { code: number; message: string } };
      expect(answer.error.code).toBe(-32600);
      expect(answer.error.message).toBe('Invalid Request: the message is nested deeper than 128 levels');
      // 128 levels in all still pass (the arguments sit 4 levels down).
      const fine = await fetch(new URL(path, harness.runtime.url), {
        method: 'POST',
        headers: { ...headers, ...session },
        body: `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"${tool}","arguments":{"a":${deep(124)}}}}`,
      });
      expect(fine.status).toBe(200);
      expect(await fine.text()).not.toMatch(/nested deeper/);
    });
  }
});
