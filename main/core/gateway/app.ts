/**
 * The gateway's HTTP surface (SPEC §3): per-server and aggregated MCP endpoints over Streamable
 * HTTP and legacy SSE, served on raw Node HTTP (every tool call passes there, so no framework work
 * per request), and a Koa app for the rest — the REST API, the dashboard's files — with one error
 * middleware that exposes messages only for 4xx. Both run the same Host/Origin and token checks.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import Koa from 'koa';
import { errorBody } from '../../../shared/errors.js';
import type { BatchService } from '../batch/batch-service.js';
import type { AggregateView } from '../registry/aggregate-view.js';
import type { ToolRegistry } from '../registry/tool-registry.js';
import type { ServerSupervisor } from '../supervisor/server-supervisor.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import { AggregateSession } from './aggregate-session.js';
import type { SessionFactory } from './downstream.js';
import { rolePermits, toolFilter } from '../auth/permissions.js';
import type { RateLimiter } from '../auth/rate-limiter.js';
import type { Principal } from '../auth/roles.js';
import type { TokenService } from '../auth/token-service.js';
import type { AuditEntry } from '../store/audit.repository.js';
import { createAuthCheck, createAuthGuard, type AuthState } from './auth-guard.js';
import { createHostCheck, createHostGuard, type HostGuardOptions } from './host-guard.js';
import { writeJson } from './http-util.js';
import { LegacySseEndpoint } from './legacy-sse.js';
import { ProxySession } from './proxy-session.js';
import { StreamableHttpEndpoint } from './streamable-http.js';
import { createStaticFiles } from '../http/static-files.js';

export interface GatewayOptions extends HostGuardOptions {
  supervisor: Supervisor;
  registry: ToolRegistry;
  view: AggregateView;
  version: string;
  sessionIdleMs: number;
  maxBodyBytes?: number;
  /** The base URL clients use. */
  baseUrl: () => string;
  tokens: TokenService;
  limiter: RateLimiter;
  /** Whether a key may still be used; sessions of keys revoked or expired since are closed. */
  keyIsLive: (keyId: string) => boolean;
  /** Records a refused tool call in the audit log. */
  audit: (entry: AuditEntry) => void;
  /** The REST API (`/api/...`), served after authentication. */
  api?: Koa.Middleware<AuthState>;
  /** Batch mode: offers `batch_execute` on every MCP endpoint while it is on. */
  batch?: BatchService;
}

export interface Gateway {
  /** The request listener for the HTTP server: MCP endpoints on raw Node HTTP, the rest through Koa. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** Closes every client session of one server (it was removed or reconfigured). */
  closeSessionsOf(server: string): void;
  /** A server was added (hot reload): aggregate sessions start hearing from it. */
  serverAdded(server: ServerSupervisor): void;
  /** The user enabled or disabled tools of these servers: their sessions are told. */
  toolsToggled(servers: Iterable<string>): void;
  /** Open client sessions, per transport. */
  sessionCounts(): { streamable: number; sse: number };
  dispose(): void;
}

const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** `/mcp[/<name>]`, `/sse[/<name>]`, `/messages[/<name>]`: the kind of endpoint and the server name (none: the aggregate). */
const ENDPOINT_PATH = /^\/(mcp|sse|messages)(?:\/([^/]+))?\/?$/;

type EndpointKind = 'mcp' | 'sse' | 'messages';

export function createGateway(options: GatewayOptions): Gateway {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const streamable = new StreamableHttpEndpoint({ idleMs: options.sessionIdleMs, maxBodyBytes, retryMs: 1_000 });
  const legacy = new LegacySseEndpoint({ maxBodyBytes, keepAliveMs: 25_000 });
  /** Which server each open session belongs to, to close them when the server goes away. */
  const sessionServers = new Map<string, string>();
  const proxySessions = new Set<ProxySession>();
  const aggregateSessions = new Set<AggregateSession>();
  const { registry, view } = options;

  view.onDidChange((kinds) => {
    for (const session of aggregateSessions) session.listsChanged(kinds);
  });

  const denied = (principal: Principal, server: string, tool: string): void =>
    options.audit({ time: Date.now(), keyId: principal.keyId, keyName: principal.name, action: 'tools/call', target: `${server}__${tool}`, outcome: 'denied' });

  const aggregateFactory = (principal: Principal): SessionFactory => (channel) => {
    const allowed = toolFilter(principal);
    const session = new AggregateSession(channel, principal, {
      supervisor: options.supervisor,
      view,
      version: options.version,
      canCall: allowed,
      seesEveryTool: rolePermits(principal.role, 'operator') && principal.allow.length === 0 && principal.deny.length === 0,
      batch: options.batch,
      onDenied: (server, tool) => denied(principal, server, tool),
    });
    aggregateSessions.add(session);
    return {
      handle: (message) => session.handle(message),
      close: () => {
        aggregateSessions.delete(session);
        session.close();
      },
    };
  };

  const factoryFor = (server: ServerSupervisor, principal: Principal): SessionFactory => (channel) => {
    sessionServers.set(channel.sessionId, server.name);
    const allowed = toolFilter(principal);
    const session = new ProxySession(channel, principal, {
      server,
      isToolEnabled: (tool) => registry.isToolEnabled(server.name, tool) && allowed(server.name, tool),
      onDenied: (tool) => denied(principal, server.name, tool),
      batch: options.batch,
      tools: () => registry.enabledTools(server.name),
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
    proxySessions.add(session);
    return {
      handle: (message) => session.handle(message),
      close: () => {
        sessionServers.delete(channel.sessionId);
        proxySessions.delete(session);
        session.close();
      },
    };
  };

  const app = new Koa<AuthState>();
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
  app.use(createStaticFiles());
  app.use(createAuthGuard(options));
  if (options.api) app.use(options.api);
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = errorBody('not_found', `nothing at ${ctx.method} ${ctx.path}`);
  });

  const hostCheck = createHostCheck(options);
  const authCheck = createAuthCheck(options);

  /**
   * The MCP endpoints on raw Node HTTP, outside Koa: every call of every client passes here, so it
   * does only what it must — the same Host/Origin and token checks as the middlewares, in the same
   * order, with the same answers.
   */
  const serveEndpoint = async (req: IncomingMessage, res: ServerResponse, kind: EndpointKind, encodedName: string | undefined): Promise<void> => {
    const refusal = hostCheck(req.headers.host, req.headers.origin);
    if (refusal) return writeJson(res, 403, errorBody('forbidden', refusal));
    const auth = authCheck(req);
    if (!auth.ok) return writeJson(res, auth.status, auth.body, auth.headers);
    const name = encodedName === undefined ? undefined : decodeSegment(encodedName);
    if (encodedName !== undefined && name === undefined) {
      return writeJson(res, 400, errorBody('bad_request', 'the server name in the URL is not valid percent-encoding'));
    }
    const server = name === undefined ? undefined : options.supervisor.get(name);
    if (name !== undefined && !server) {
      const known = options.supervisor.names();
      return writeJson(
        res,
        404,
        errorBody('unknown_server', `no server named "${name}"; known servers: ${known.length ? known.join(', ') : '(none)'}`, { known }),
      );
    }
    const { principal } = auth;
    const factory = server ? factoryFor(server, principal) : aggregateFactory(principal);
    if (kind === 'mcp') {
      await streamable.handle(req, res, factory, principal.keyId);
    } else if (kind === 'sse') {
      if (req.method !== 'GET') return methodNotAllowed(req, res, 'GET');
      legacy.open(req, res, server ? `/messages/${encodedName}` : '/messages', factory, principal.keyId);
    } else {
      if (req.method !== 'POST') return methodNotAllowed(req, res, 'POST');
      await legacy.post(req, res, new URL(req.url ?? '/', 'http://localhost').searchParams.get('sessionId') ?? undefined, principal.keyId);
    }
  };

  const koa = app.callback();
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
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

  // Sessions of a key revoked or expired since they opened end (a revoke from the CLI included).
  const keyCheck = setInterval(() => {
    const live = new Map<string, boolean>();
    const dead = (session: { owner: string }): boolean => {
      let isLive = live.get(session.owner);
      if (isLive === undefined) live.set(session.owner, (isLive = options.keyIsLive(session.owner)));
      return !isLive;
    };
    streamable.closeSessions(dead);
    legacy.closeSessions(dead);
  }, 2_000);
  keyCheck.unref();

  return {
    handle,
    sessionCounts: () => ({ streamable: streamable.sessionCount, sse: legacy.sessionCount }),
    serverAdded(server) {
      for (const session of aggregateSessions) session.attachTo(server);
    },
    toolsToggled(servers) {
      const names = new Set(servers);
      for (const session of proxySessions) if (names.has(session.serverName)) session.toolsChanged();
    },
    closeSessionsOf(server: string) {
      const mine = (session: { sessionId: string }) => sessionServers.get(session.sessionId) === server;
      streamable.closeSessions(mine);
      legacy.closeSessions(mine);
    },
    dispose() {
      clearInterval(keyCheck);
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

function methodNotAllowed(req: IncomingMessage, res: ServerResponse, allow: string): void {
  writeJson(res, 405, errorBody('bad_request', `${req.method ?? ''} is not allowed here; use ${allow}`), { allow });
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
