/**
 * The Koa app factory (SPEC §3): per-server MCP endpoints over Streamable HTTP and legacy SSE, the
 * status page, and one error middleware that exposes messages only for 4xx.
 */
import Koa from 'koa';
import { errorBody } from '../../../shared/errors.js';
import type { ServerSupervisor } from '../supervisor/server-supervisor.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { SessionFactory } from './downstream.js';
import { createHostGuard, type HostGuardOptions } from './host-guard.js';
import { LegacySseEndpoint } from './legacy-sse.js';
import { ProxySession } from './proxy-session.js';
import { renderStatusPage } from './status-page.js';
import { StreamableHttpEndpoint } from './streamable-http.js';

export interface GatewayOptions extends HostGuardOptions {
  supervisor: Supervisor;
  sessionIdleMs: number;
  maxBodyBytes?: number;
  /** The base URL clients use, for the status page. */
  baseUrl: () => string;
}

export interface Gateway {
  app: Koa;
  /** Closes every client session of one server (it was removed or reconfigured). */
  closeSessionsOf(server: string): void;
  dispose(): void;
}

const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** `/mcp/<name>`, `/sse/<name>`, `/messages/<name>`: the kind of endpoint and the server name. */
const ENDPOINT_PATH = /^\/(mcp|sse|messages)\/([^/]+)\/?$/;

export function createGateway(options: GatewayOptions): Gateway {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const streamable = new StreamableHttpEndpoint({ idleMs: options.sessionIdleMs, maxBodyBytes, retryMs: 1_000 });
  const legacy = new LegacySseEndpoint({ maxBodyBytes, keepAliveMs: 25_000 });
  /** Which server each open session belongs to, to close them when the server goes away. */
  const sessionServers = new Map<string, string>();

  const factoryFor = (server: ServerSupervisor): SessionFactory => (channel) => {
    sessionServers.set(channel.sessionId, server.name);
    const session = new ProxySession(channel, {
      server,
      ...(server.config.sessionMode === 'per-session'
        ? {
            dedicated: async (initializeParams: Record<string, unknown>) => {
              const own = options.supervisor.create(server.config, initializeParams);
              await own.start();
              return own;
            },
          }
        : {}),
    });
    return {
      handle: (message) => session.handle(message),
      close: () => {
        sessionServers.delete(channel.sessionId);
        session.close();
      },
    };
  };

  const app = new Koa();
  app.silent = true;
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const status = (error as { status?: number }).status ?? 500;
      ctx.status = status;
      ctx.body =
        status < 500
          ? errorBody('bad_request', (error as Error).message)
          : errorBody('internal', 'internal error');
      if (status >= 500) console.error('mcp-orch: request failed:', error);
    }
  });
  app.use(createHostGuard(options));
  app.use(async (ctx, next) => {
    const match = ENDPOINT_PATH.exec(ctx.path);
    if (!match) {
      await next();
      return;
    }
    const [, kind, encodedName] = match;
    const name = decodeSegment(encodedName!);
    if (name === undefined) {
      ctx.status = 400;
      ctx.body = errorBody('bad_request', 'the server name in the URL is not valid percent-encoding');
      return;
    }
    const server = options.supervisor.get(name);
    if (!server) {
      const known = options.supervisor.names();
      ctx.status = 404;
      ctx.body = errorBody(
        'unknown_server',
        `no server named "${name}"; known servers: ${known.length ? known.join(', ') : '(none)'}`,
        { known },
      );
      return;
    }
    ctx.respond = false;
    const { req, res } = ctx;
    if (kind === 'mcp') {
      await streamable.handle(req, res, factoryFor(server));
    } else if (kind === 'sse') {
      if (req.method !== 'GET') return methodNotAllowed(ctx, 'GET');
      legacy.open(req, res, `/messages/${encodedName}`, factoryFor(server));
    } else {
      if (req.method !== 'POST') return methodNotAllowed(ctx, 'POST');
      await legacy.post(req, res, new URL(req.url ?? '/', 'http://localhost').searchParams.get('sessionId') ?? undefined);
    }
  });
  app.use(async (ctx, next) => {
    if (ctx.path !== '/' || ctx.method !== 'GET') {
      await next();
      return;
    }
    ctx.type = 'html';
    ctx.body = renderStatusPage(options.supervisor, options.baseUrl());
  });
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = errorBody('not_found', `nothing at ${ctx.method} ${ctx.path}`);
  });

  return {
    app,
    closeSessionsOf(server: string) {
      const mine = (session: { sessionId: string }) => sessionServers.get(session.sessionId) === server;
      streamable.closeSessions(mine);
      legacy.closeSessions(mine);
    },
    dispose() {
      streamable.dispose();
      legacy.dispose();
    },
  };
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function methodNotAllowed(ctx: Koa.Context, allow: string): void {
  ctx.respond = true;
  ctx.status = 405;
  ctx.set('allow', allow);
  ctx.body = errorBody('bad_request', `${ctx.method} is not allowed here; use ${allow}`);
}
