/**
 * Sign-in to a remote server that asks for it, end to end: a real MCP server with its own
 * authorization server (the SDK's server parts, on 127.0.0.1), a real daemon, real SDK clients.
 * The browser is a function that follows the authorization URL's redirects to the daemon's
 * callback, as a browser does when the authorization server approves at once.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_HEADERS, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';
import { pollFor } from '../__fixtures__/wait.js';
import { followToCallback } from './__fixtures__/follow.mjs';
import { startOAuthServer, type OAuthFixture } from './__fixtures__/start-oauth-server.js';

let harness: Harness;
let plain: OAuthFixture;
let stepUp: OAuthFixture;
let closed: OAuthFixture;
/** The browser: off until a test opens it, so sign-ins wait for their test. */
let browser: ((url: string) => Promise<boolean>) | undefined;
const opened: string[] = [];

const api = async (path: string, init: RequestInit = {}, token = AUTH_HEADERS.Authorization) => {
  const response = await fetch(harness.bareUrl(path), {
    ...init,
    headers: { Authorization: token, 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const status = async (name: string) =>
  (await api(`/api/servers/${name}`)).body as { state: string; lastError?: string; signIn?: Record<string, unknown> };
const signIn = (name: string) => api(`/api/servers/${name}/sign-in`, { method: 'POST', body: '{}' });
const stats = async (remote: { base: string }) => (await (await fetch(`${remote.base}/admin/stats`)).json()) as Record<string, number>;

beforeAll(async () => {
  [plain, stepUp, closed] = await Promise.all([
    startOAuthServer(),
    startOAuthServer(['--scopes', 'mcp:read mcp:write', '--challenge-scope', 'mcp:read', '--step-up', 'write=mcp:write']),
    startOAuthServer(['--no-registration']),
  ]);
  harness = await startHarness(
    { docs: { url: plain.url }, tracker: { url: stepUp.url }, closed: { url: closed.url } },
    {
      runtime: {
        openBrowser: async (url) => {
          opened.push(url);
          return browser ? browser(url) : false;
        },
      },
    },
  );
}, 60_000);

afterAll(async () => {
  await harness?.dispose();
  plain?.stop();
  stepUp?.stop();
  closed?.stop();
});

describe('a remote server that asks for a sign-in', () => {
  it('waits in needs-sign-in, with the reason, and is not retried', async () => {
    await pollFor('docs needs sign-in', async () => (await status('docs')).state === 'needs-sign-in');
    const docs = await status('docs');
    expect(docs.lastError).toBe('the server asks you to sign in');
    expect(docs.signIn).toMatchObject({ signedIn: false, pending: false, problem: 'the server asks you to sign in' });
    const before = await stats(plain);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await stats(plain)).mcpRequests).toBe(before.mcpRequests);
    expect(opened).toEqual([]);
  });

  it('whose authorization server cannot register MCP Orch waits in needs-sign-in saying what to set, and is not retried', async () => {
    await pollFor('closed needs sign-in', async () => (await status('closed')).state === 'needs-sign-in');
    const server = await status('closed');
    expect(server.lastError).toMatch(/no dynamic client registration\): register a client there and set its id as "oauth.clientId"/);
    expect(server.signIn).toMatchObject({ signedIn: false, problem: server.lastError });
    const before = await stats(closed);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await stats(closed)).toEqual(before);
    expect((await status('closed')).state).toBe('needs-sign-in');
  });

  it('tells a client that connects what to do', async () => {
    await expect(harness.connect('docs', 'streamable')).rejects.toThrow(/server "docs" needs sign-in: the server asks you to sign in/);
  });

  it('refuses a sign-in to a key that is not an admin', async () => {
    const created = await api('/api/tokens', { method: 'POST', body: JSON.stringify({ name: 'op', role: 'operator' }) });
    const operator = `Bearer ${(created.body as { secret: string }).secret}`;
    const refused = await api('/api/servers/docs/sign-in', { method: 'POST', body: '{}' }, operator);
    expect(refused.status).toBe(403);
    expect(opened).toEqual([]);
  });

  it('signs in through the browser and the callback, then serves the tools', async () => {
    const started = await api('/api/servers/docs/sign-in', { method: 'POST', body: JSON.stringify({ openBrowser: false }) });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ status: 'redirect', opened: false });
    const authorizationUrl = new URL(started.body.authorizationUrl as string);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizationUrl.searchParams.get('resource')).toBe(plain.url);
    expect(authorizationUrl.searchParams.get('redirect_uri')).toBe(harness.bareUrl('/oauth/callback').href);
    expect((await status('docs')).signIn).toMatchObject({ pending: true });

    await followToCallback(authorizationUrl.href);
    await pollFor('docs runs', async () => (await status('docs')).state === 'running');
    expect((await status('docs')).signIn).toMatchObject({ signedIn: true, pending: false });
    const client = await harness.connect('docs', 'streamable');
    const result = await client.callTool({ name: 'echo', arguments: { text: 'signed in' } });
    expect(result.content).toEqual([{ type: 'text', text: 'signed in' }]);
  });

  it('refuses a used, unknown or missing state at the callback, and changes nothing', async () => {
    for (const query of ['', '?state=nope&code=x', '?code=x']) {
      const response = await fetch(harness.bareUrl(`/oauth/callback${query}`));
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('unknown, already used or expired');
    }
    expect((await status('docs')).state).toBe('running');
  });

  it('refreshes an expired access token by itself', async () => {
    await fetch(`${plain.base}/admin/expire`, { method: 'POST' });
    const client = await harness.connect('docs', 'streamable');
    const result = await client.callTool({ name: 'echo', arguments: { text: 'after refresh' } });
    expect(result.content).toEqual([{ type: 'text', text: 'after refresh' }]);
    expect((await stats(plain)).refreshes).toBeGreaterThanOrEqual(1);
  });

  it('says a revoked sign-in was refused, and needs a new one', async () => {
    await fetch(`${plain.base}/admin/revoke`, { method: 'POST' });
    const client = await harness.connect('docs', 'streamable');
    await expect(client.callTool({ name: 'echo', arguments: { text: 'x' } })).rejects.toThrow(
      /needs sign-in: the saved sign-in was refused/,
    );
    expect((await status('docs')).signIn).toMatchObject({ problem: expect.stringContaining('sign in again') as unknown });
  });

  it('asks for more scope on a step-up, and keeps what was granted', async () => {
    browser = async (url) => {
      await followToCallback(url);
      return true;
    };
    await pollFor('tracker needs sign-in', async () => (await status('tracker')).state === 'needs-sign-in');
    expect((await signIn('tracker')).body).toMatchObject({ status: 'redirect', opened: true });
    await pollFor('tracker runs', async () => (await status('tracker')).state === 'running');
    const client = await harness.connect('tracker', 'streamable');
    // The 401 asked for mcp:read only: that is what was asked and granted.
    expect((await client.callTool({ name: 'whoami', arguments: {} })).content).toEqual([{ type: 'text', text: 'mcp:read' }]);
    browser = undefined;
    await expect(client.callTool({ name: 'write', arguments: {} })).rejects.toThrow(
      /needs sign-in: the server asks for more permission \(scope "mcp:read mcp:write"\): sign in again/,
    );
    expect((await status('tracker')).state).toBe('running');
    expect((await status('tracker')).signIn).toMatchObject({ problem: expect.stringContaining('more permission') as unknown });
    const again = await api('/api/servers/tracker/sign-in', { method: 'POST', body: JSON.stringify({ openBrowser: false }) });
    expect(new URL(again.body.authorizationUrl as string).searchParams.get('scope')).toBe('mcp:read mcp:write');
    await followToCallback(again.body.authorizationUrl as string);
    await pollFor('the problem is gone', async () => (await status('tracker')).signIn?.problem === undefined);
    expect((await client.callTool({ name: 'write', arguments: {} })).content).toEqual([{ type: 'text', text: 'written' }]);
    expect((await client.callTool({ name: 'whoami', arguments: {} })).content).toEqual([{ type: 'text', text: 'mcp:read mcp:write' }]);
  });

  it('signs out: tokens are forgotten and the server needs a sign-in again', async () => {
    const out = await api('/api/servers/tracker/sign-out', { method: 'POST', body: '{}' });
    expect(out.status).toBe(200);
    await pollFor('tracker needs sign-in', async () => (await status('tracker')).state === 'needs-sign-in');
    expect((await status('tracker')).signIn).toMatchObject({ signedIn: false });
  });

  it('never shows a token in the API, the events, the logs, the audit or the config', async () => {
    browser = async (url) => {
      await followToCallback(url);
      return true;
    };
    // The live events, read raw from before the sign-in until the server runs.
    const abort = new AbortController();
    let events = '';
    const stream = await fetch(harness.bareUrl('/api/events'), { headers: AUTH_HEADERS, signal: abort.signal });
    const reading = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) events += decoder.decode(chunk, { stream: true });
    })().catch(() => undefined);
    await signIn('docs');
    await pollFor('docs runs', async () => (await status('docs')).state === 'running');
    await pollFor('the events say docs runs', () =>
      /"name":"docs"[^\n]*"state":"running"|"state":"running"[^\n]*"name":"docs"/.test(events),
    );
    abort.abort();
    await reading;
    const stored = JSON.parse(await readFile(join(harness.dir, 'oauth.json'), 'utf8')) as Record<string, { value: string }>;
    const tokens = Object.values(stored).flatMap((entry) => {
      const record = JSON.parse(entry.value) as { tokens?: { access_token: string; refresh_token?: string } };
      return record.tokens ? [record.tokens.access_token, record.tokens.refresh_token ?? ''] : [];
    });
    expect(tokens.length).toBeGreaterThan(0);
    const seen = [
      events,
      JSON.stringify((await api('/api/servers')).body),
      JSON.stringify((await api('/api/servers/docs')).body),
      JSON.stringify((await api('/api/audit?limit=100')).body),
      JSON.stringify((await api('/api/servers/docs/logs')).body),
      await readFile(harness.configPath, 'utf8'),
      ...(await Promise.all((await readdir(join(harness.dir, 'logs'))).map((file) => readFile(join(harness.dir, 'logs', file), 'utf8')))),
    ].join('\n');
    for (const token of tokens.filter(Boolean)) expect(seen).not.toContain(token);
    expect(seen).toContain('servers.signIn');
  });
});
