/**
 * `app://orch/…`: the dashboard bundle (`dist/renderer/`) served from the app's own files, never
 * from the network. A path outside the bundle is a 404, a route of the single-page app (no file
 * extension) gets `index.html`, and every answer carries the Content-Security-Policy.
 */
import { readFile as readFileFromDisk } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { APP_SCHEME, CONTENT_SECURITY_POLICY } from './window-policy.js';

/** What `protocol.registerSchemesAsPrivileged` needs before the app is ready. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  // standard: relative URLs and an origin; secure: like https (no mixed-content downgrade).
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

/** The part of Electron's `protocol` module used here. */
export interface ProtocolLike {
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  unhandle(scheme: string): void;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** The file under `root` that `url` names, or undefined when it names none (another host, `..`, bad encoding). */
export function rendererFileFor(root: string, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== 'orch') return undefined;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0')) return undefined;
  // A client-side route (`/servers/github`) is the app's page; a missing asset stays a 404.
  const relative = path === '/' || extname(path) === '' ? 'index.html' : normalize(path).replace(/^[/\\]+/, '');
  const base = resolve(root);
  const file = resolve(join(base, relative));
  return file.startsWith(base + sep) ? file : undefined;
}

/** Serves `root` on `app://orch`; the returned function stops serving it. */
export function serveRenderer(
  protocol: ProtocolLike,
  root: string,
  readFile: (path: string) => Promise<Uint8Array> = readFileFromDisk,
): () => void {
  const headers = (type: string): Record<string, string> => ({
    'content-type': type,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  });
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return new Response('method not allowed', { status: 405, headers: headers('text/plain; charset=utf-8') });
    const file = rendererFileFor(root, request.url);
    if (file === undefined) return new Response('not found', { status: 404, headers: headers('text/plain; charset=utf-8') });
    try {
      const body = await readFile(file);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: headers(CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'),
      });
    } catch {
      return new Response('not found', { status: 404, headers: headers('text/plain; charset=utf-8') });
    }
  });
  return () => protocol.unhandle(APP_SCHEME);
}
