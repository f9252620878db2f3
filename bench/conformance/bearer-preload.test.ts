// bearer-preload.mjs gives the conformance suite the daemon's token: it must add the Authorization
// header on each of the suite's three HTTP clients (fetch, node:http, undici's request, imported
// by name), only toward the daemon's origin, and only when it is given a token.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../..');
const preload = pathToFileURL(join(import.meta.dirname, 'bearer-preload.mjs')).href;

interface Seen {
  path: string;
  authorization: string | undefined;
}

function recordingServer(seen: Seen[]): Promise<{ server: Server; base: string }> {
  const server = createServer((request, response) => {
    seen.push({ path: request.url ?? '', authorization: request.headers.authorization });
    request.resume();
    request.on('end', () => response.end('{}'));
  });
  return new Promise((resolveServer) =>
    server.listen(0, '127.0.0.1', () => resolveServer({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

// The suite's three ways of sending, toward the daemon (/fetch, /http, /undici) and elsewhere (/other).
const CLIENT_SCRIPT = `
import http from 'node:http';
import { request } from 'undici';
const [daemon, other] = process.argv.slice(2);
await fetch(daemon + '/fetch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
await fetch(other + '/other');
const { hostname, port } = new URL(daemon);
await new Promise((done, fail) => {
  const req = http.request({ hostname, port, path: '/http', method: 'POST', headers: { Accept: 'application/json' } }, (res) => {
    res.resume();
    res.on('end', done);
  });
  req.on('error', fail);
  req.end('{}');
});
const answer = await request(daemon + '/undici', { method: 'POST', headers: { Host: hostname + ':' + port }, body: '{}' });
await answer.body.text();
`;

describe('bearer-preload', () => {
  const daemonSeen: Seen[] = [];
  const otherSeen: Seen[] = [];
  let daemon: { server: Server; base: string };
  let other: { server: Server; base: string };
  let dir: string;

  beforeAll(async () => {
    daemon = await recordingServer(daemonSeen);
    other = await recordingServer(otherSeen);
    dir = await mkdtemp(join(tmpdir(), 'bearer-preload-'));
    // The preload resolves undici from the main script, as it does from the suite's CLI.
    await symlink(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
    await writeFile(join(dir, 'client.mjs'), CLIENT_SCRIPT);
  });

  afterAll(async () => {
    daemon.server.close();
    other.server.close();
    await rm(dir, { recursive: true, force: true });
  });

  function runClient(env: Record<string, string>): Promise<number | null> {
    const child = spawn(process.execPath, ['--import', preload, join(dir, 'client.mjs'), daemon.base, other.base], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return new Promise((resolveExit) => child.once('close', resolveExit));
  }

  it('adds the token on fetch, node:http and undici toward the daemon, and nowhere else', async () => {
    daemonSeen.length = 0;
    otherSeen.length = 0;
    const code = await runClient({ MCP_ORCH_BENCH_BEARER: 'tok123', MCP_ORCH_BENCH_BEARER_ORIGIN: daemon.base });
    expect(code).toBe(0);
    expect(daemonSeen).toEqual([
      { path: '/fetch', authorization: 'Bearer tok123' },
      { path: '/http', authorization: 'Bearer tok123' },
      { path: '/undici', authorization: 'Bearer tok123' },
    ]);
    expect(otherSeen).toEqual([{ path: '/other', authorization: undefined }]);
  });

  it('changes nothing without a token', async () => {
    daemonSeen.length = 0;
    const code = await runClient({ MCP_ORCH_BENCH_BEARER_ORIGIN: daemon.base });
    expect(code).toBe(0);
    expect(daemonSeen.map((seen) => seen.authorization)).toEqual([undefined, undefined, undefined]);
  });
});
