/**
 * Authentication on every endpoint (SPEC §7), MCP ones included: a bearer token (or
 * `?access_token=`) is required even from loopback — other local processes and web pages are the
 * threat. The caller's principal is left in `ctx.state.principal`; a key over its rate gets 429.
 */
import type { Middleware } from 'koa';
import { errorBody } from '../../../shared/errors.js';
import { extractCredentials, wwwAuthenticate } from '../auth/extract-credentials.js';
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

export function createAuthGuard(options: AuthGuardOptions): Middleware<AuthState> {
  return async (ctx, next) => {
    const credentials = extractCredentials(ctx.req);
    if (!credentials.ok && credentials.reason === 'malformed') {
      ctx.status = 400;
      ctx.set('www-authenticate', wwwAuthenticate('invalid_request'));
      ctx.body = errorBody('bad_request', credentials.message);
      return;
    }
    const result = options.tokens.authenticate(credentials.ok ? credentials.token : undefined);
    if (!result.ok) {
      ctx.status = 401;
      ctx.set('www-authenticate', wwwAuthenticate(credentials.ok ? 'invalid_token' : undefined));
      ctx.body = errorBody('unauthorized', result.error.message);
      return;
    }
    const principal = result.value;
    const limit = principal.rateLimitPerMinute ? { perMinute: principal.rateLimitPerMinute } : undefined;
    const decision = options.limiter.take(principal.name, limit);
    if (!decision.ok) {
      ctx.status = 429;
      ctx.set('retry-after', String(decision.retryAfterSeconds));
      ctx.body = errorBody('rate_limited', `the key "${principal.name}" is over its limit of ${principal.rateLimitPerMinute} requests a minute; retry in ${decision.retryAfterSeconds} s`);
      return;
    }
    ctx.state.principal = principal;
    await next();
  };
}
