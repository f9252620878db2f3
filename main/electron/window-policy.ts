/**
 * What the window may load and do. The dashboard comes from the app's own files over `app://orch`;
 * nothing navigates away from it, no new window opens (https links go to the system browser), no
 * webview attaches, no permission is granted, and only its top frame may use the bridge.
 */
import type { IpcEventLike } from './bridge.ipc.js';

/** The scheme the renderer bundle is served on (registered privileged before the app is ready). */
export const APP_SCHEME = 'app';
/** The one origin of the app's pages. */
export const APP_ORIGIN = `${APP_SCHEME}://orch`;
/**
 * The page the window opens: the root, which the protocol answers with index.html. Not
 * `/index.html`: the dashboard's router reads the path, and has no page by that name.
 */
export const APP_ENTRY_URL = `${APP_ORIGIN}/`;

/**
 * The Content-Security-Policy of every page served on `app://orch`: scripts, styles, fonts and
 * images from the bundle only, nothing from the network (the bridge replaces fetch), no plugins,
 * no framing. `style-src 'unsafe-inline'` because the chart and component libraries set inline
 * `style` attributes; scripts never run inline.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The only permission pages get: writing to the clipboard (the dashboard's copy buttons). */
const GRANTED = new Set(['clipboard-sanitized-write']);

/** Whether `url` is a page of the app itself. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'orch';
  } catch {
    return false;
  }
}

/**
 * The URL to hand the system browser, or undefined. Only `https:` goes out: a plain `http:` link
 * can be read or altered on the way, and `file:`, `smb:`, custom schemes and `mailto:` (the
 * dashboard has no mail links) could start local programs. The one `http:` exception is the core's
 * own origin (`http://127.0.0.1:<port>`, where the dashboard's links to the daemon point): loopback,
 * exact origin only, never another local port or service.
 */
export function externalUrl(url: string, coreOrigin?: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'https:') return parsed.href;
    if (parsed.protocol === 'http:' && coreOrigin !== undefined && parsed.origin === new URL(coreOrigin).origin) return parsed.href;
    return undefined;
  } catch {
    return undefined;
  }
}

/** Whether an IPC message comes from the top frame of an app page (not an iframe, not a stray page). */
export function isTrustedSender(event: IpcEventLike): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

/** A cancellable Electron event. */
export interface PreventableEvent {
  preventDefault(): void;
}

/** The part of `WebContents` the policy guards. */
export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent & { url: string }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  readonly session: {
    setPermissionRequestHandler(
      handler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null,
    ): void;
    setPermissionCheckHandler(handler: ((contents: unknown, permission: string) => boolean) | null): void;
  };
}

/** Web contents already guarded: the catch-all and the main window both apply the policy, once. */
const guarded = new WeakSet<object>();

/**
 * Guards `contents` (once; a second call changes nothing); web links it tries to open go to
 * `openExternal`, filtered by `externalUrl` with the core's origin while it is known.
 */
export function applyWindowPolicy(
  contents: GuardedContents,
  openExternal: (url: string) => void,
  coreOrigin: () => string | undefined = () => undefined,
): void {
  if (guarded.has(contents)) return;
  guarded.add(contents);
  const leave = (url: string): void => {
    const external = externalUrl(url, coreOrigin());
    if (external !== undefined) openExternal(external);
  };
  // A page of the app may reload itself; any other destination is stopped (and opened outside, if it is a web link).
  const guard = (event: PreventableEvent & { url: string }): void => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    leave(event.url);
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    leave(url);
    return { action: 'deny' };
  });
  // Camera, notifications, clipboard reads…: the dashboard needs none of them; it may copy a snippet.
  contents.session.setPermissionRequestHandler((_contents, permission, callback) => callback(GRANTED.has(permission)));
  contents.session.setPermissionCheckHandler((_contents, permission) => GRANTED.has(permission));
}

/** The part of Electron's `app` that announces every new web contents. */
export interface WebContentsSource {
  on(event: 'web-contents-created', listener: (event: unknown, contents: GuardedContents) => void): unknown;
}

/**
 * The catch-all: applies the policy to every web contents the app ever makes (the window's, any
 * made later), so none is left unguarded by a code path that forgot to. Call before the first window.
 */
export function guardEveryWebContents(
  app: WebContentsSource,
  openExternal: (url: string) => void,
  coreOrigin: () => string | undefined = () => undefined,
): void {
  app.on('web-contents-created', (_event, contents) => applyWindowPolicy(contents, openExternal, coreOrigin));
}
