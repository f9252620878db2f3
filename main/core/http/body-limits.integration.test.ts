/**
 * A body over the limit, REST or MCP, leaves no connection stuck, whatever its framing (docs/specification.md
 * §13): raw sockets against a real daemon, so that what happens after the 413 on the same socket shows.
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
