/**
 * Signing in from the servers store, against a real daemon and a real remote MCP server with its own
 * authorization server (approving at once): the link kept for the page, the wait and the outcome
 * followed live, sign-out, and a refused start as a message with no link left behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followToCallback } from '../../main/core/oauth/__fixtures__/follow.mjs';
import { startOAuthServer, type OAuthFixture } from '../../main/core/oauth/__fixtures__/start-oauth-server';
import { openPage, settle, startDaemon, type Daemon, type Page } from './daemon';

let remote: OAuthFixture;
let daemon: Daemon;
let page: Page;
const before = process.env.BROWSER;

const servers = () => page.stores.servers.getState();
const docs = () => servers().servers.find((server) => server.name === 'docs');

beforeAll(async () => {
  remote = await startOAuthServer();
  // The daemon's system browser: a command that opens nothing (the test follows the link itself).
  process.env.BROWSER = 'true';
  daemon = await startDaemon({ mcpServers: { docs: { url: remote.url } } });
  page = await openPage(daemon);
  await servers().load();
}, 60_000);

afterAll(async () => {
  page?.close();
  await daemon?.dispose();
  remote?.stop();
  if (before === undefined) delete process.env.BROWSER;
  else process.env.BROWSER = before;
});

describe('signing in from the servers store', () => {
  it('starts a sign-in, keeps its link, and follows the wait and the outcome live', async () => {
    expect(docs()).toMatchObject({ state: 'needs-sign-in', signIn: { signedIn: false, pending: false } });
    const started = await servers().signIn('docs');
    expect(started).toMatchObject({ status: 'redirect', opened: true });
    expect(servers().signInLinks.docs).toEqual(started);
    await settle(() => expect(docs()?.signIn?.pending).toBe(true));
    expect(await followToCallback((started as { authorizationUrl: string }).authorizationUrl)).toBe('200 at /oauth/callback');
    await settle(() => expect(docs()).toMatchObject({ state: 'running', signIn: { signedIn: true, pending: false, scope: 'mcp:read' } }));
  });

  it('signs out through the lifecycle action: the server needs a sign-in again', async () => {
    expect(await servers().act('docs', 'signOut')).toBe(true);
    await settle(() => expect(docs()).toMatchObject({ state: 'needs-sign-in', signIn: { signedIn: false } }));
  });

  it('turns a refused start into a message and leaves no link', async () => {
    let message = '';
    await page.whileRefused(() =>
      servers()
        .signIn('docs')
        .catch((error: Error) => (message = error.message)),
    );
    expect(message).toMatch(/token/i);
    expect(servers().signInLinks.docs).toBeUndefined();
    expect(docs()?.signIn?.pending).toBe(false);
  });
});
