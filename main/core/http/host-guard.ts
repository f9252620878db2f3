/**
 * DNS-rebinding protection (docs/specification.md §3): a request must name this host in `Host`, and a browser
 * request must come from a loopback origin (or one the user allowed). Anything else gets 403.
 */
import type { Middleware } from 'koa';
import { errorBody } from '../../../shared/errors.js';

export interface HostGuardOptions {
  /** The address the server is bound to. */
  host: string;
  /** Extra host names accepted in `Host` (no port). */
  allowedHosts: readonly string[];
  /** Extra origins accepted in `Origin`, e.g. `https://my.dev`. */
  allowedOrigins: readonly string[];
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]', '::1'];

/** The host name of a `Host` header value, lower-cased, without the port. */
export function hostnameOf(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1);
  const colon = value.lastIndexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

function isLoopbackName(name: string): boolean {
  return LOOPBACK_NAMES.includes(name) || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/**
 * The check itself, on raw headers: the 403 message for a request whose `Host` or `Origin` is not
 * allowed, or undefined. Used by the Koa middleware and by the MCP endpoints' raw fast path.
 */
export function createHostCheck(options: HostGuardOptions): (host: string | undefined, origin: string | undefined) => string | undefined {
  const bound = options.host.toLowerCase();
  const wildcard = bound === '0.0.0.0' || bound === '::';
  const hosts = new Set([...LOOPBACK_NAMES, ...options.allowedHosts.map((h) => h.toLowerCase())]);
  if (!wildcard) hosts.add(bound.includes(':') && !bound.startsWith('[') ? `[${bound}]` : bound);
  const origins = new Set(options.allowedOrigins.map((o) => o.toLowerCase().replace(/\/$/, '')));

  const hostAllowed = (header: string | undefined): boolean => {
    if (!header) return false;
    const name = hostnameOf(header);
    // Bound to every interface: any address-literal host is fine, names still must be allowed.
    return hosts.has(name) || (wildcard && /^[\d.]+$|^\[[\da-f:]+\]$/.test(name));
  };

  const originAllowed = (origin: string): boolean => {
    const lower = origin.toLowerCase();
    if (origins.has(lower)) return true;
    try {
      const url = new URL(lower);
      return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackName(url.hostname);
    } catch {
      return false;
    }
  };

  return (host, origin) => {
    if (!hostAllowed(host || undefined)) return `Forbidden: the Host header "${host ?? ''}" is not allowed (DNS-rebinding protection)`;
    if (origin === 'null') return 'Forbidden: requests from an opaque origin are not allowed';
    if (origin && !originAllowed(origin)) return `Forbidden: requests from the origin "${origin}" are not allowed`;
    return undefined;
  };
}

export function createHostGuard(options: HostGuardOptions): Middleware {
  const check = createHostCheck(options);
  return async (ctx, next) => {
    const refusal = check(ctx.get('host') || undefined, ctx.get('origin') || undefined);
    if (refusal) {
      ctx.status = 403;
      ctx.body = errorBody('forbidden', refusal);
      return;
    }
    await next();
  };
}
