import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyError, readBody } from './http-body.js';

const LIMIT = 1024;
let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A real server on 127.0.0.1 whose requests go to `readBody`; resolves with what each read gave. */
async function listen(): Promise<{ port: number; next: () => Promise<Buffer | BodyError> }> {
  const results: Promise<Buffer | BodyError>[] = [];
  const waiting: ((result: Promise<Buffer | BodyError>) => void)[] = [];
  server = createServer((req: IncomingMessage, res) => {
    const result = readBody(req, LIMIT).then(
      (body) => body,
      (error: unknown) => error as BodyError,
    );
    void result.then((outcome) => {
      res.writeHead(outcome instanceof BodyError ? 413 : 200, { connection: 'close' });
      res.end();
    });
    const waiter = waiting.shift();
    if (waiter) waiter(result);
    else results.push(result);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const next = () => results.shift() ?? new Promise<Buffer | BodyError>((resolve) => waiting.push((result) => resolve(result)));
  return { port, next };
}

function send(port: number, headers: Record<string, string | number>, write: (req: ReturnType<typeof request>) => void): void {
  const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/', headers });
  req.on('error', () => undefined);
  req.on('response', (res) => res.resume());
  write(req);
}

describe('readBody', () => {
  it('reads a whole body, declared or chunked, and an empty one', async () => {
    const { port, next } = await listen();
    send(port, { 'content-length': 5 }, (req) => req.end('hello'));
    expect((await next()).toString()).toBe('hello');
    send(port, {}, (req) => {
      req.write('he');
      req.end('llo');
    });
    expect((await next()).toString()).toBe('hello');
    send(port, { 'content-length': 0 }, (req) => req.end());
    expect(await next()).toEqual(Buffer.alloc(0));
  });

  it('refuses a body over the limit, declared or as it streams', async () => {
    const { port, next } = await listen();
    send(port, { 'content-length': LIMIT + 1 }, (req) => req.end('x'.repeat(LIMIT + 1)));
    expect(await next()).toMatchObject({ reason: 'too_large', message: `the body exceeds ${LIMIT} bytes` });
    send(port, {}, (req) => {
      req.write('x'.repeat(LIMIT));
      req.write('x');
    });
    expect(await next()).toMatchObject({ reason: 'too_large' });
  });

  it('says when the client closes before the body is complete', async () => {
    const { port, next } = await listen();
    send(port, { 'content-length': 100 }, (req) => {
      req.write('partial', () => req.destroy());
    });
    expect(await next()).toMatchObject({ reason: 'incomplete' });
  });
});
