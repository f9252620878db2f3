// follow-redirects.mjs is the "browser" the daemon opens an authorization URL with during the
// conformance client runs: it must follow redirects on this machine only, over http(s) only, a
// bounded number of times, and GET the last URL (the daemon's callback) once.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface FollowerModule {
  MAX_HOPS: number;
  allowedUrl: (text: string, base?: URL) => URL;
  nextHop: (status: number, location: string | null, from: URL) => URL | undefined;
  follow: (start: string) => Promise<{ url: URL; status: number; hops: number }>;
}

const { MAX_HOPS, allowedUrl, follow, nextHop } = (await import(
  pathToFileURL(join(import.meta.dirname, 'follow-redirects.mjs')).href
)) as FollowerModule;

describe('allowedUrl', () => {
  it('takes http and https URLs on 127.0.0.1, localhost and [::1]', () => {
    for (const url of ['http://127.0.0.1:1234/authorize?x=1', 'https://localhost/a', 'http://[::1]:80/cb']) {
      expect(allowedUrl(url).href).toBe(new URL(url).href);
    }
  });

  it('refuses other hosts, other schemes, credentials and non-URLs', () => {
    expect(() => allowedUrl('http://example.com/authorize')).toThrow(/refused host example\.com/);
    expect(() => allowedUrl('http://127.0.0.1.example.com/')).toThrow(/refused host/);
    expect(() => allowedUrl('file:///etc/passwd')).toThrow(/refused file: URL/);
    expect(() => allowedUrl('javascript:alert(1)')).toThrow(/refused javascript: URL/);
    expect(() => allowedUrl('http://user:pw@127.0.0.1/')).toThrow(/credentials/);
    expect(() => allowedUrl('not a url')).toThrow(/not a URL/);
  });
});

describe('nextHop', () => {
  const from = new URL('http://127.0.0.1:9000/authorize');

  it('resolves a relative Location against the URL that answered', () => {
    expect(nextHop(302, '/callback?code=abc', from)?.href).toBe('http://127.0.0.1:9000/callback?code=abc');
  });

  it('ends on anything that is not a redirect', () => {
    expect(nextHop(200, null, from)).toBeUndefined();
    expect(nextHop(304, '/x', from)).toBeUndefined();
    expect(nextHop(400, '/x', from)).toBeUndefined();
  });

  it('refuses a redirect without a Location, or off this machine', () => {
    expect(() => nextHop(302, null, from)).toThrow(/without a Location/);
    expect(() => nextHop(307, 'https://evil.example/steal', from)).toThrow(/refused host/);
  });
});

describe('follow', () => {
  let server: Server;
  let base: string;
  const hits: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const url = request.url ?? '';
      hits.push(url);
      if (url.startsWith('/authorize')) response.writeHead(302, { Location: '/approve' }).end();
      else if (url === '/approve') response.writeHead(303, { Location: `${base}/oauth/callback?code=c1&state=s1` }).end();
      else if (url.startsWith('/loop')) response.writeHead(302, { Location: '/loop' }).end();
      else if (url === '/away') response.writeHead(302, { Location: 'http://example.com/' }).end();
      else response.writeHead(200).end('signed in');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('walks the redirects to the callback and GETs it once', async () => {
    hits.length = 0;
    const end = await follow(`${base}/authorize?client_id=x`);
    expect(end.status).toBe(200);
    expect(end.url.pathname).toBe('/oauth/callback');
    expect(end.hops).toBe(2);
    expect(hits).toEqual(['/authorize?client_id=x', '/approve', '/oauth/callback?code=c1&state=s1']);
  });

  it('gives up after MAX_HOPS redirects', async () => {
    hits.length = 0;
    await expect(follow(`${base}/loop`)).rejects.toThrow(`more than ${MAX_HOPS} redirects`);
    expect(hits.length).toBe(MAX_HOPS + 1);
  });

  it('does not follow a redirect off this machine', async () => {
    await expect(follow(`${base}/away`)).rejects.toThrow(/refused host example\.com/);
  });
});
