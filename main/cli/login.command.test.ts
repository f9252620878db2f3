/**
 * `mcp-orch login` / `logout` as a user runs them, against a real daemon and a real remote MCP
 * server with its own authorization server (approving at once, as a browser that is signed in
 * would see it): the link printed and followed, the browser the daemon opens, a refused sign-in,
 * sign-out, and `servers` showing needs-sign-in with the reason.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../core/__fixtures__/runtime-harness.js';
import { pollFor } from '../core/__fixtures__/wait.js';
import { followToCallback } from '../core/oauth/__fixtures__/follow.mjs';
import { startOAuthServer, type OAuthFixture } from '../core/oauth/__fixtures__/start-oauth-server.js';
import { signInOutcome } from './login.command.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'main/cli/main.ts');

let harness: Harness;
let remote: OAuthFixture;
/** What the daemon's browser does with a URL; off (no browser) unless a test sets it. */
let browser: ((url: string) => void) | undefined;

interface Cli {
  /** Resolves with the first stdout line that matches. */
  line(pattern: RegExp): Promise<string>;
  done: Promise<{ code: number; stdout: string; stderr: string }>;
}

function cli(args: string[]): Cli {
  const env = { PATH: process.env.PATH, HOME: harness.dir, MCP_ORCH_HOME: harness.dir };
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args, '--url', harness.runtime.url], { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const seen: string[] = [];
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  lines.on('line', (line) => {
    stdout += `${line}\n`;
    seen.push(line);
    for (const wait of waiting.filter((candidate) => candidate.pattern.test(line))) wait.resolve(line);
  });
  const done = Promise.all([once(child, 'close'), once(lines, 'close')]).then(([[code]]) => ({ code: code as number, stdout, stderr }));
  return {
    line: (pattern) =>
      new Promise((resolve, reject) => {
        const already = seen.find((line) => pattern.test(line));
        if (already) return resolve(already);
        waiting.push({ pattern, resolve });
        void done.then((end) => reject(new Error(`the CLI ended without a line matching ${pattern}: ${JSON.stringify(end)}`)));
      }),
    done,
  };
}

const docs = () => harness.runtime.supervisor.get('docs')!.status();

beforeAll(async () => {
  remote = await startOAuthServer();
  harness = await startHarness(
    { docs: { url: remote.url } },
    { runtime: { openBrowser: (url) => (browser ? (browser(url), Promise.resolve(true)) : Promise.resolve(false)) } },
  );
  await pollFor('docs needs sign-in', () => docs().state === 'needs-sign-in');
}, 60_000);

afterAll(async () => {
  await harness?.dispose();
  remote?.stop();
});

describe('mcp-orch login / logout', () => {
  it('servers shows a server that needs a sign-in, with the reason', async () => {
    const listed = await cli(['servers']).done;
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^docs +needs-sign-in: the server asks you to sign in +0 +- +0 +http/m);
  });

  it('--no-browser prints the link, waits for the sign-in made with it, and says signed in', async () => {
    const login = cli(['login', 'docs', '--no-browser']);
    const line = await login.line(/^Open this URL to sign in to docs: /);
    expect(await login.line(/^Waiting for the sign-in/)).toBe('Waiting for the sign-in… (Ctrl-C stops waiting)');
    expect(docs().signIn).toMatchObject({ pending: true, signedIn: false });
    expect(await followToCallback(line.replace(/^Open this URL to sign in to docs: /, ''))).toBe('200 at /oauth/callback');
    const end = await login.done;
    expect(end.stderr).toBe('');
    expect(end.code).toBe(0);
    expect(end.stdout).toMatch(/\ndocs: signed in \(scope: mcp:read\), running\n$/);
    expect(docs()).toMatchObject({ state: 'running', signIn: { signedIn: true, pending: false } });
  });

  it('logout forgets the sign-in: the server needs one again', async () => {
    const end = await cli(['logout', 'docs']).done;
    expect(end).toMatchObject({ code: 0, stderr: '' });
    expect(end.stdout).toMatch(/^docs: signed out; needs-sign-in/);
    expect(docs().signIn).toMatchObject({ signedIn: false });
  });

  it('lets the daemon open the browser, and says so with the link', async () => {
    browser = (url) => void followToCallback(url);
    try {
      const login = cli(['login', 'docs']);
      expect(await login.line(/^A browser opened/)).toMatch(
        /^A browser opened to sign in to docs; if not, open: http:\/\/127\.0\.0\.1:\d+\//,
      );
      const end = await login.done;
      expect(end.stderr).toBe('');
      expect(end.code).toBe(0);
      expect(end.stdout).toMatch(/\ndocs: signed in \(scope: mcp:read\), running\n$/);
    } finally {
      browser = undefined;
    }
    await cli(['logout', 'docs']).done;
  });

  it('says why when the sign-in fails, and exits 1', async () => {
    const login = cli(['login', 'docs', '--no-browser']);
    const link = new URL((await login.line(/^Open this URL/)).replace(/^.*?: /, ''));
    // The browser comes back with the authorization server's refusal.
    const back = new URL('/oauth/callback', harness.runtime.url);
    back.searchParams.set('state', link.searchParams.get('state')!);
    back.searchParams.set('error', 'access_denied');
    await (await fetch(back)).body?.cancel();
    const end = await login.done;
    expect(end.code).toBe(1);
    expect(end.stderr).toBe(
      'mcp-orch login: docs: the sign-in did not complete: the authorization server refused the sign-in (access_denied): start it again, or check the account\n',
    );
  });
});

describe('signInOutcome', () => {
  it('waits while the browser signs in or the server reconnects, and fails with the problem otherwise', () => {
    const signIn = { signedIn: false, pending: false };
    expect(signInOutcome({ state: 'needs-sign-in', signIn: { ...signIn, pending: true } })).toBe('waiting');
    expect(signInOutcome({ state: 'needs-sign-in', signIn: { ...signIn, signedIn: true } })).toBe('waiting');
    expect(signInOutcome({ state: 'starting', signIn: { ...signIn, signedIn: true } })).toBe('waiting');
    expect(signInOutcome({ state: 'running', signIn: { ...signIn, signedIn: true } })).toBe('done');
    expect(signInOutcome({ state: 'running', signIn: { signedIn: true, pending: false, problem: 'needs mcp:write' } })).toEqual({
      failed: 'needs mcp:write',
    });
    expect(signInOutcome({ state: 'needs-sign-in', lastError: 'the server asks you to sign in', signIn })).toEqual({
      failed: 'the server asks you to sign in',
    });
    expect(signInOutcome({ state: 'failed', lastError: 'HTTP 500' })).toEqual({ failed: 'HTTP 500' });
  });
});
