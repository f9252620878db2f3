/**
 * Serves the dashboard's bundle (`dist/renderer/`) at `/`: its own files only, `index.html` for
 * client-side routes (`/servers/github`), hashed assets cached for a year, everything else
 * revalidated. No token is needed — the bundle holds no secrets, and the page takes its token from
 * the URL it was opened with — but the Host/Origin check runs before this, as for every request.
 * Every answer carries a Content-Security-Policy that allows only the app's own origin.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Middleware } from 'koa';

export interface StaticFilesOptions {
  /** The folder of `index.html`; default the built `dist/renderer/` of this package. */
  root?: string;
}

/**
 * Scripts, styles, images, fonts and connections from this origin only. Inline styles are allowed
 * because Radix and sonner insert `<style>` elements at run time; inline scripts are not. `data:`
 * images are tool results the page renders.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  // The page is opened with its token in the URL: never send it on as a referrer.
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** Paths that belong to the daemon, never to the page. */
const DAEMON_PATHS = /^\/(api|mcp|sse|messages)(\/|$)/;

/** `dist/renderer/`: beside the compiled daemon (`dist/main/core/http/`), or under the checkout when run from the sources. */
export function defaultRendererRoot(): string {
  const top = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
  return basename(top) === 'dist' ? join(top, 'renderer') : join(top, 'dist', 'renderer');
}

export function createStaticFiles(options: StaticFilesOptions = {}): Middleware {
  const root = normalize(options.root ?? defaultRendererRoot());
  const index = join(root, 'index.html');

  const fileAt = (urlPath: string): string | undefined => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return undefined;
    }
    if (decoded.includes('\0')) return undefined;
    const path = normalize(join(root, decoded));
    if (path !== root && !path.startsWith(root + sep)) return undefined;
    try {
      return statSync(path).isFile() ? path : undefined;
    } catch {
      return undefined;
    }
  };

  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || DAEMON_PATHS.test(ctx.path)) {
      await next();
      return;
    }
    const file = ctx.path === '/' ? undefined : fileAt(ctx.path);
    // A path with an extension that is not there is a missing file, not a page of the app.
    if (!file && extname(ctx.path) !== '') {
      await next();
      return;
    }
    ctx.set(SECURITY_HEADERS);
    const path = file ?? index;
    if (!existsSync(path)) {
      ctx.status = 503;
      ctx.type = 'text/plain';
      ctx.body = 'The dashboard is not built: run `npm run build`, then restart MCP Orch.\n';
      return;
    }
    const hashed = file !== undefined && ctx.path.startsWith('/assets/');
    ctx.set('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    ctx.type = TYPES[extname(path)] ?? 'application/octet-stream';
    ctx.length = statSync(path).size;
    ctx.body = ctx.method === 'HEAD' ? null : createReadStream(path);
  };
}
