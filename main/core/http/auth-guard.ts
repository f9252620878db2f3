/**
 * Authentication on every endpoint (docs/specification.md §7), MCP ones included: a bearer token (or
 * `?access_token=`) is required even from loopback — other local processes and web pages are the
 * threat. The caller's principal is left in `ctx.state.principal`; a key over its rate gets 429.
 */
import type { Middleware } from 'koa';
import { errorBody, type ErrorBody } from '../../../shared/errors.js';
import { extractCredentials, wwwAuthenticate, type RequestLike } from '../auth/extract-credentials.js';
import type { RateLimiter } from '../auth/rate-limiter.js';
import type { Principal } from '../auth/roles.js';
import type { TokenService } from '../auth/token-service.js';

export interface AuthGuardOptions {
  tokens: TokenService;
  limiter: RateLimiter;
}

export interface AuthState {
  principal: Principal;
}

/** Who is calling, or the refusal to send: 400 (malformed credentials), 401 or 429. */
export type AuthOutcome =
  { ok: true; principal: Principal } | { ok: false; status: 400 | 401 | 429; headers: Record<string, string>; body: ErrorBody };

/** The check itself, on a raw request: used by the Koa middleware and by the MCP endpoints' raw fast path. */
export function createAuthCheck(options: AuthGuardOptions): (request: RequestLike) => AuthOutcome {
  return (request): AuthOutcome => {
    const credentials = extractCredentials(request);
    if (!credentials.ok && credentials.reason === 'malformed') {
      return {
        ok: false,
        status: 400,
        headers: { 'www-authenticate': wwwAuthenticate('invalid_request') },
        body: errorBody('bad_request', credentials.message),
      };
    }
    const result = options.tokens.authenticate(credentials.ok ? credentials.token : undefined);
    if (!result.ok) {
      return {
        ok: false,
        status: 401,
        headers: { 'www-authenticate': wwwAuthenticate(credentials.ok ? 'invalid_token' : undefined) },
        body: errorBody('unauthorized', result.error.message),
      };
    }
    const principal = result.value;
    const limit = principal.rateLimitPerMinute ? { perMinute: principal.rateLimitPerMinute } : undefined;
    const decision = options.limiter.take(principal.name, limit);
    if (!decision.ok) {
      return {
        ok: false,
        status: 429,
        headers: { 'retry-after': String(decision.retryAfterSeconds) },
        body: errorBody(
          'rate_limited',
          `the key "${principal.name}" is over its limit of ${principal.rateLimitPerMinute} requests a minute; retry in ${decision.retryAfterSeconds} s`,
        ),
      };
    }
    return { ok: true, principal };
  };
}

export function createAuthGuard(options: AuthGuardOptions): Middleware<AuthState> {
  const check = createAuthCheck(options);
  return async (ctx, next) => {
    const outcome = check(ctx.req);
    if (!outcome.ok) {
      ctx.status = outcome.status;
      ctx.set(outcome.headers);
      ctx.body = outcome.body;
      return;
    }
    ctx.state.principal = outcome.principal;
    await next();
  };
}
