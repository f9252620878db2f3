import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererFileFor, serveRenderer, type ProtocolLike } from './app-protocol.js';
import { FakeSender } from './__fixtures__/fake-ipc.js';
import { FakeContents } from './__fixtures__/fake-window.js';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  applyWindowPolicy,
  externalUrl,
  guardEveryWebContents,
  isAppUrl,
  isTrustedSender,
} from './window-policy.js';

describe('navigation and new windows', () => {
  const setup = (coreOrigin?: string) => {
    const contents = new FakeContents();
    const opened: string[] = [];
    applyWindowPolicy(
      contents,
      (url) => opened.push(url),
      () => coreOrigin,
    );
    return { contents, opened };
  };

  it('lets an app page reload itself and stops every other navigation', () => {
    const { contents, opened } = setup('http://127.0.0.1:8000');
    expect(contents.navigate('app://orch/index.html')).toBe('allowed');
    expect(contents.navigate('https://evil.example/phish')).toBe('prevented');
    expect(contents.navigate('file:///etc/passwd')).toBe('prevented');
    expect(contents.navigate('app://other/index.html')).toBe('prevented');
    expect(contents.redirect('http://127.0.0.1:8000/')).toBe('prevented');
    // A web link the page follows opens in the system browser instead; a file URL opens nowhere.
    expect(opened).toEqual(['https://evil.example/phish', 'http://127.0.0.1:8000/']);
  });

  it('opens no window: https links go to the system browser, anything else nowhere', () => {
    const { contents, opened } = setup();
    expect(contents.openWindow('https://github.com/org/repo')).toEqual({ action: 'deny' });
    expect(contents.openWindow('http://example.com/login')).toEqual({ action: 'deny' });
    expect(contents.openWindow('mailto:team@example.com')).toEqual({ action: 'deny' });
    expect(contents.openWindow('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(contents.openWindow('file:///Applications')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://github.com/org/repo']);
  });

  it("lets plain http out only to the core's own origin, once it is known", () => {
    const before = setup();
    before.contents.openWindow('http://127.0.0.1:8000/mcp');
    expect(before.opened).toEqual([]);
    const { contents, opened } = setup('http://127.0.0.1:8000');
    contents.openWindow('http://127.0.0.1:8000/mcp');
    contents.openWindow('http://127.0.0.1:9000/admin');
    contents.openWindow('http://localhost:8000/mcp');
    contents.navigate('http://example.com/');
    expect(opened).toEqual(['http://127.0.0.1:8000/mcp']);
  });

  it('guards a web contents once, however many times the policy is applied', () => {
    const contents = new FakeContents();
    const opened: string[] = [];
    applyWindowPolicy(contents, (url) => opened.push(url));
    applyWindowPolicy(contents, (url) => opened.push(`again ${url}`));
    contents.navigate('https://example.com/');
    expect(opened).toEqual(['https://example.com/']);
  });

  it('guards every web contents the app makes, including ones made later', () => {
    const app = new EventEmitter();
    const opened: string[] = [];
    guardEveryWebContents(app, (url) => opened.push(url));
    const first = new FakeContents();
    app.emit('web-contents-created', {}, first);
    const later = new FakeContents();
    app.emit('web-contents-created', {}, later);
    for (const contents of [first, later]) {
      expect(contents.navigate('https://evil.example/')).toBe('prevented');
      expect(contents.openWindow('https://evil.example/')).toEqual({ action: 'deny' });
      expect(contents.attachWebview()).toBe('prevented');
    }
    expect(opened).toEqual(['https://evil.example/', 'https://evil.example/', 'https://evil.example/', 'https://evil.example/']);
  });

  it('refuses webviews and every permission but writing to the clipboard', async () => {
    const { contents } = setup();
    expect(contents.attachWebview()).toBe('prevented');
    expect(await contents.requestPermission('media')).toBe(false);
    expect(await contents.requestPermission('notifications')).toBe(false);
    expect(await contents.requestPermission('clipboard-sanitized-write')).toBe(true);
    expect(contents.checkPermission('clipboard-read')).toBe(false);
  });

  it('tells app pages and external links apart', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://orch.evil/index.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
    expect(externalUrl('https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(externalUrl('smb://share')).toBeUndefined();
    expect(externalUrl('http://example.com/')).toBeUndefined();
    expect(externalUrl('mailto:team@example.com')).toBeUndefined();
    expect(externalUrl('http://127.0.0.1:8000/mcp', 'http://127.0.0.1:8000')).toBe('http://127.0.0.1:8000/mcp');
  });
});

describe('IPC senders', () => {
  it('trusts only the top frame of an app page', () => {
    expect(isTrustedSender(new FakeSender('app://orch/index.html').event())).toBe(true);
    expect(isTrustedSender(new FakeSender('app://orch/index.html', true).event())).toBe(false);
    expect(isTrustedSender(new FakeSender('https://evil.example/').event())).toBe(false);
    expect(isTrustedSender({ sender: new FakeSender('app://orch/'), senderFrame: null })).toBe(false);
  });
});

describe('the app:// protocol', () => {
  let base: string;
  let root: string;
  let handler: (request: Request) => Response | Promise<Response>;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'mcp-orch-renderer-'));
    root = join(base, 'renderer');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>');
    await writeFile(join(root, 'assets', 'index-abc123.js'), 'console.log("dashboard")');
    await writeFile(join(base, 'outside-secret.txt'), 'do not serve');
    const protocol: ProtocolLike = {
      handle: (_scheme, registered) => {
        handler = registered;
      },
      unhandle: () => undefined,
    };
    serveRenderer(protocol, root);
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  const get = async (url: string, method = 'GET') => {
    const response = await handler(new Request(url, { method }));
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      csp: response.headers.get('content-security-policy'),
      body: await response.text(),
    };
  };

  it('serves the bundle with its content type and the CSP on every answer', async () => {
    const page = await get('app://orch/index.html');
    expect(page).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', csp: CONTENT_SECURITY_POLICY });
    expect(page.body).toContain('index-abc123.js');
    expect(await get('app://orch/assets/index-abc123.js')).toMatchObject({
      status: 200,
      type: 'text/javascript; charset=utf-8',
      body: 'console.log("dashboard")',
    });
    expect((await get('app://orch/missing.png')).csp).toBe(CONTENT_SECURITY_POLICY);
  });

  // The router reads the path: `/index.html` is no route of the dashboard ("No such page").
  it("opens the window on the dashboard's root route, answered with the page", async () => {
    expect(new URL(APP_ENTRY_URL).pathname).toBe('/');
    expect(await get(APP_ENTRY_URL)).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
  });

  it('answers the page for client-side routes and 404 for missing assets', async () => {
    expect(await get('app://orch/servers/github')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(await get('app://orch/')).toMatchObject({ status: 200 });
    expect((await get('app://orch/assets/gone.js')).status).toBe(404);
  });

  it('never serves a file outside the bundle, another host, or a write', async () => {
    expect((await get('app://orch/..%2Foutside-secret.txt')).status).toBe(404);
    expect((await get('app://orch/assets/..%2F..%2Foutside-secret.txt')).status).toBe(404);
    expect((await get('app://orch/%E0%A4%A')).status).toBe(404);
    expect((await get('app://elsewhere/index.html')).status).toBe(404);
    expect((await get('app://orch/index.html', 'POST')).status).toBe(405);
    expect(rendererFileFor(root, 'app://orch/a%00b.js')).toBeUndefined();
  });

  it('states a CSP that allows nothing from the network and no inline script', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*/);
  });
});
