/**
 * The Chromium of the emulated desktop, owned by the main process as Electron's is: launched with
 * playwright-core (with `--remote-debugging-port=0`, so the test can attach over CDP and drive the
 * same pages). Every request of every page is routed here:
 *
 * The test picks the Chromium and its flags (`$EMULATED_ELECTRON_CHROMIUM`, JSON: `executablePath`,
 * `args`), as the rest of the e2e suite starts it.
 *
 * - `app://orch/…` cannot be navigated to in a plain Chromium, so a window's page sits on the
 *   stand-in origin `http://orch.app.localhost` (a secure context, like `app://`), and each of its
 *   requests is answered by the REAL handler main.ts gave `protocol.handle('app', …)`, with the URL
 *   mapped back to `app://orch/…`; anything else a page asks for is refused, nothing leaves the machine;
 * - a window's own navigation is first put to its `will-navigate` listeners (prevented: it does not
 *   happen), a popup's to the opener's `setWindowOpenHandler` (it is closed before it loads).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page, type Request, type Route } from 'playwright-core';
import { report } from './report.js';

/** Where a window's pages live instead of `app://orch`. */
export const STAND_IN_ORIGIN = 'http://orch.app.localhost';

/** `http://orch.app.localhost/x` ↔ `app://orch/x`; other URLs are left as they are. */
export function toAppUrl(url: string): string {
  return url.startsWith(`${STAND_IN_ORIGIN}/`) ? `app://orch${url.slice(STAND_IN_ORIGIN.length)}` : url;
}
export function fromAppUrl(url: string): string {
  return url.startsWith('app://orch/') ? `${STAND_IN_ORIGIN}${url.slice('app://orch'.length)}` : url;
}

/** What the host needs from a window's web contents (see web-contents.ts). */
export interface HostedContents {
  /** True when a navigation of the page to `url` (an app URL) may go ahead (its `will-navigate`). */
  mayNavigate(url: string): boolean;
  /** The window-open handler's answer for a popup to `url`. */
  windowOpen(url: string): 'allow' | 'deny';
  /** The IPC binding of the page: `send` or `invoke` on `channel`. */
  ipc(kind: 'invoke' | 'send', channel: string, args: unknown[], frame: { url: string; top: boolean }): Promise<unknown>;
}

type FetchHandler = (request: globalThis.Request) => Response | Promise<Response>;

export class BrowserHost {
  private context: BrowserContext | undefined;
  private spare: Page | undefined;
  private readonly hosted = new Map<Page, HostedContents>();
  /** The same, by CDP target id (a popup names its opener by it). */
  private readonly hostedTargets = new Map<string, HostedContents>();
  /** The browser's own CDP session: popups that Playwright does not report yet are found and closed with it. */
  private cdp: CDPSession | undefined;
  /** Navigations the main process asked for (`loadURL`): not put to `will-navigate`. */
  private readonly ownLoads = new WeakMap<Page, string>();
  readonly protocols = new Map<string, FetchHandler>();

  constructor(private readonly userData: string) {}

  /** Launches Chromium; answers the CDP endpoint the test connects to. */
  async launch(): Promise<string> {
    const dataDir = join(this.userData, 'chromium');
    const launch = JSON.parse(process.env.EMULATED_ELECTRON_CHROMIUM ?? '{}') as { executablePath?: string; args?: string[] };
    const context = await chromium.launchPersistentContext(dataDir, {
      ...launch,
      args: [...(launch.args ?? []), '--remote-debugging-port=0'],
      headless: true,
      viewport: { width: 1280, height: 800 },
    });
    this.context = context;
    this.spare = context.pages()[0];
    this.cdp = await context.browser()?.newBrowserCDPSession();
    await context.exposeBinding('__electronIpc', async (source, kind: 'invoke' | 'send', channel: string, args: unknown[]) => {
      const contents = this.hosted.get(source.page);
      if (!contents) throw new Error('this page is not a window of the app');
      return contents.ipc(kind, channel, args, { url: toAppUrl(source.frame.url()), top: source.frame.parentFrame() === null });
    });
    await context.route('**/*', (route, request) => this.route(route, request));
    const port = (await readFile(join(dataDir, 'DevToolsActivePort'), 'utf8')).split('\n')[0];
    return `http://127.0.0.1:${port}`;
  }

  /** A page for a new window, wired to `contents`, running `initScript` before the page's own. */
  async openPage(contents: HostedContents, initScript: string | undefined): Promise<Page> {
    const context = this.context;
    if (!context) throw new Error('a BrowserWindow made before the app is ready');
    const page = this.spare ?? (await context.newPage());
    this.spare = undefined;
    this.hosted.set(page, contents);
    const session = await context.newCDPSession(page);
    const { targetInfo } = (await session.send('Target.getTargetInfo')) as { targetInfo: { targetId: string } };
    this.hostedTargets.set(targetInfo.targetId, contents);
    await session.detach();
    if (initScript !== undefined) await page.addInitScript(initScript);
    return page;
  }

  /** Loads `url` (an app URL) as the main process's own navigation. */
  async load(page: Page, url: string): Promise<void> {
    const target = fromAppUrl(url);
    this.ownLoads.set(page, target);
    await page.goto(target, { waitUntil: 'load' });
  }

  async close(): Promise<void> {
    const context = this.context;
    this.context = undefined;
    await context?.close().catch(() => undefined);
  }

  private async route(route: Route, request: Request): Promise<void> {
    const url = request.url();
    let page: Page | undefined;
    try {
      page = request.frame().page();
    } catch {
      // A popup's first navigation can come before its frame is known.
    }
    const contents = page && this.hosted.get(page);
    if (!contents) return this.routePopup(route, request, page);
    if (request.isNavigationRequest() && request.frame() === page?.mainFrame()) {
      if (this.ownLoads.get(page) === url) this.ownLoads.delete(page);
      else if (!contents.mayNavigate(toAppUrl(url))) {
        report('navigationPrevented', { url: toAppUrl(url) });
        // 'aborted': the page stays as it is, no error page is shown (as Electron does).
        return route.abort('aborted');
      }
    }
    const handler = this.protocols.get('app');
    if (!url.startsWith(`${STAND_IN_ORIGIN}/`) || !handler) {
      report('requestRefused', { url });
      return route.abort('blockedbyclient');
    }
    const headers = request.headers();
    const response = await handler(new globalThis.Request(toAppUrl(url), { method: request.method(), headers }));
    await route.fulfill({
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: Buffer.from(await response.arrayBuffer()),
    });
  }

  /**
   * A request of a page that is not a window: a popup's first navigation (Playwright does not know
   * its page yet). Its opener's window-open handler decides; the popup is closed before it loads
   * either way (an allowed one would be a new BrowserWindow in Electron: not emulated, reported).
   */
  private async routePopup(route: Route, request: Request, page: Page | undefined): Promise<void> {
    const url = toAppUrl(request.url());
    const { targetInfos } = (await this.cdp?.send('Target.getTargets')) ?? { targetInfos: [] };
    const popups = (targetInfos as { targetId: string; type: string; openerId?: string }[]).filter(
      (target) =>
        target.type === 'page' &&
        target.openerId !== undefined &&
        this.hostedTargets.has(target.openerId) &&
        !this.hostedTargets.has(target.targetId),
    );
    const opener = popups[0]?.openerId;
    const contents = opener === undefined ? undefined : this.hostedTargets.get(opener);
    const action = request.isNavigationRequest() && contents ? contents.windowOpen(url) : 'deny';
    report('windowOpen', { url, action });
    for (const popup of popups) {
      await this.cdp?.send('Target.closeTarget', { targetId: popup.targetId }).catch(() => undefined);
      report('popupClosed', { url });
    }
    await route.abort('aborted').catch(() => undefined);
    if (page && !page.isClosed()) await page.close().catch(() => undefined);
  }
}
