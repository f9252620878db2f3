import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, createStaticFiles } from './static-files.js';

let outer: string;
let root: string;
let server: Server;
let base: string;

beforeAll(async () => {
  outer = await mkdtemp(join(tmpdir(), 'mcp-orch-static-'));
  root = join(outer, 'app');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(join(root, 'assets', 'main-abc123.js'), 'console.log(1)');
  await writeFile(join(outer, 'secret.txt'), 'outside');
  const app = new Koa();
  app.use(createStaticFiles({ root }));
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = 'next';
  });
  const handler = app.callback();
  server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(outer, { recursive: true, force: true });
});

describe('the dashboard files', () => {
  it('serves index.html at / and for client routes, revalidated, with the CSP', async () => {
    for (const path of ['/', '/servers/github', '/tools']) {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<title>app</title>');
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('caches hashed assets for a year', async () => {
    const response = await fetch(`${base}/assets/main-abc123.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/javascript/);
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it('leaves the daemon paths, other methods and missing files to the next middleware', async () => {
    for (const path of ['/api/servers', '/mcp/x', '/assets/missing.js', '/favicon.ico']) {
      expect((await fetch(`${base}${path}`)).status).toBe(404);
    }
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(404);
  });

  it('never serves a file outside its folder', async () => {
    for (const path of ['/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%00']) {
      const response = await fetch(`${base}${path}`);
      expect(await response.text()).not.toContain('outside');
    }
  });
});
