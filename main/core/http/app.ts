/**
 * The daemon's HTTP server: the MCP endpoints on raw Node HTTP (every tool call passes there, so no
 * framework work per request), and a Koa app for the rest — the dashboard's files, the REST API —
 * with one error middleware that exposes messages only for 4xx. Both run the same Host/Origin and token
 * checks, in the same order, with the same answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import Koa from 'koa';
import { errorBody } from '../../../shared/errors.js';
import type { RateLimiter } from '../auth/rate-limiter.js';
import type { TokenService } from '../auth/token-service.js';
import { writeJson } from '../mcp/http-io.js';
import type { EndpointKind, McpEndpoints } from '../mcp/mcp-endpoints.js';
import { createAuthCheck, createAuthGuard, type AuthState } from './auth-guard.js';
import { createHostCheck, createHostGuard, type HostGuardOptions } from './host-guard.js';
import { createStaticFiles } from './static-files.js';

export interface HttpAppOptions extends HostGuardOptions {
  /** The MCP endpoints, served to authenticated callers. */
  endpoints: McpEndpoints;
  /** The REST API (`/api/...`), served after authentication. */
  rest: Koa.Middleware<AuthState>;
  tokens: TokenService;
  limiter: RateLimiter;
  /** `/oauth/callback`, where a sign-in's browser comes back: no key (its single-use `state` is the proof). */
  oauthCallback?: Koa.Middleware;
}

/** `/mcp[/<name>]`, `/sse[/<name>]`, `/messages[/<name>]`: the kind of endpoint and the server name (none: the aggregate). */
const ENDPOINT_PATH = /^\/(mcp|sse|messages)(?:\/([^/]+))?\/?$/;

/** The request listener of the daemon's HTTP server. */
export function createHttpApp(options: HttpAppOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const app = new Koa<AuthState>();
  app.silent = true;
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const status = (error as { status?: number }).status ?? 500;
      ctx.status = status;
      ctx.body = status < 500 ? errorBody('bad_request', (error as Error).message) : errorBody('internal', 'internal error');
      if (status >= 500) console.error('mcp-orch: request failed:', error);
    }
  });
  app.use(createHostGuard(options));
  // Before the dashboard's files, which answer any other path with the page.
  // The dashboard's own files hold no secrets: served without a token (the page brings one).
  if (options.oauthCallback) app.use(options.oauthCallback);
  app.use(createStaticFiles());
  app.use(createAuthGuard(options));
  app.use(options.rest);
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = errorBody('not_found', `nothing at ${ctx.method} ${ctx.path}`);
  });

  const hostCheck = createHostCheck(options);
  const authCheck = createAuthCheck(options);
  const serveEndpoint = async (
    req: IncomingMessage,
    res: ServerResponse,
    kind: EndpointKind,
    encodedName: string | undefined,
  ): Promise<void> => {
    const refusal = hostCheck(req.headers.host, req.headers.origin);
    if (refusal) return writeJson(res, 403, errorBody('forbidden', refusal));
    const auth = authCheck(req);
    if (!auth.ok) return writeJson(res, auth.status, auth.body, auth.headers);
    await options.endpoints.serve(req, res, kind, encodedName, auth.principal);
  };

  const koa = app.callback();
  return (req, res) => {
    const match = ENDPOINT_PATH.exec(pathOf(req.url));
    if (!match) {
      void koa(req, res);
      return;
    }
    serveEndpoint(req, res, match[1] as EndpointKind, match[2]).catch((error: unknown) => {
      console.error('mcp-orch: request failed:', error);
      if (res.headersSent) res.destroy();
      else writeJson(res, 500, errorBody('internal', 'internal error'));
    });
  };
}

/** The path of a request target, without the query: origin-form (`/mcp/x?…`) or absolute-form (`http://h/mcp/x`). */
function pathOf(target: string | undefined): string {
  if (!target) return '/';
  if (!target.startsWith('/')) {
    try {
      return new URL(target).pathname;
    } catch {
      return target;
    }
  }
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}
