/**
 * The MCP endpoints (per-server and aggregated, Streamable HTTP and legacy SSE) for requests whose
 * caller is already authenticated: which session a request belongs to, the sessions of each server
 * (closed when it goes away), and sessions of keys that stopped being live. Every tool call of every
 * client passes here, so it does only what it must.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody } from '../../../shared/errors.js';
import { rolePermits, toolFilter } from '../auth/permissions.js';
import type { Principal } from '../auth/roles.js';
import type { BatchService } from '../runs/batch-service.js';
import type { PlannerService } from '../planner/planner-service.js';
import type { AggregateView } from '../registry/aggregate-view.js';
import type { ToolRegistry } from '../registry/tool-registry.js';
import type { AuditEntry } from '../store/audit.repository.js';
import type { ServerSupervisor } from '../supervisor/server-supervisor.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import { AggregateSession } from './aggregate-session.js';
import type { SessionFactory } from './downstream.js';
import { writeJson } from './http-io.js';
import { LegacySseEndpoint } from './legacy-sse.js';
import { DEFAULT_MCP_LIMITS, type McpLimits } from './limits.js';
import { SendLedger } from './send-ledger.js';
import { ProxySession } from './proxy-session.js';
import { StreamableHttpEndpoint } from './streamable-http.js';

export interface McpEndpointsOptions {
  supervisor: Supervisor;
  registry: ToolRegistry;
  view: AggregateView;
  version: string;
  sessionIdleMs: number;
  maxBodyBytes?: number;
  /** A Streamable HTTP call unanswered after this long becomes a resumable SSE stream; default 50 ms. */
  streamAfterMs?: number;
  /** What clients may make the endpoints hold (unsent output, replay); `DEFAULT_MCP_LIMITS` by default. */
  limits?: Partial<McpLimits>;
  /** Where sessions closed for their client not reading are reported; default `console.error`. */
  log?: (line: string) => void;
  /** Whether a key may still be used; sessions of keys revoked or expired since are closed. */
  keyIsLive: (keyId: string) => boolean;
  /** Records a refused tool call in the audit log. */
  audit: (entry: AuditEntry) => void;
  /** Batch mode: offers `batch_execute` on every MCP endpoint while it is on. */
  batch?: BatchService;
  /** The LLM planner: in batch mode, offers `plan_and_execute` on the aggregated endpoint while one is configured. */
  planner?: PlannerService;
}

/** `mcp`: Streamable HTTP; `sse` + `messages`: the legacy HTTP+SSE transport's stream and posts. */
export type EndpointKind = 'mcp' | 'sse' | 'messages';

export interface McpEndpoints {
  /** Serves one request of `principal` at `/<kind>[/<encodedName>]` (no name: the aggregate). */
  serve(
    req: IncomingMessage,
    res: ServerResponse,
    kind: EndpointKind,
    encodedName: string | undefined,
    principal: Principal,
  ): Promise<void>;
  /** Closes every client session of one server (it was removed or reconfigured). */
  closeSessionsOf(server: string): void;
  /** A server was added (hot reload): aggregate sessions start hearing from it. */
  serverAdded(server: ServerSupervisor): void;
  /** The user enabled or disabled tools of these servers: their sessions are told. */
  toolsToggled(servers: Iterable<string>): void;
  /** Open client sessions, per transport. */
  sessionCounts(): { streamable: number; sse: number };
  /** Characters the Streamable HTTP sessions keep for resumption, all together. */
  replaySize(): number;
  /** Characters written to clients of every endpoint and not yet taken by them. */
  unsentSize(): number;
  dispose(): void;
}

const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

export function createMcpEndpoints(options: McpEndpointsOptions): McpEndpoints {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const limits: McpLimits = { ...DEFAULT_MCP_LIMITS, ...options.limits };
  const log = options.log ?? ((line: string) => console.error(line));
  // One ledger for every endpoint and both transports: its total bound is the daemon's.
  const ledger = new SendLedger(limits, log);
  const streamable = new StreamableHttpEndpoint(
    { idleMs: options.sessionIdleMs, maxBodyBytes, retryMs: 1_000, streamAfterMs: options.streamAfterMs, limits, log },
    ledger,
  );
  const legacy = new LegacySseEndpoint({ maxBodyBytes, keepAliveMs: 25_000, ledger });
  /** Which server each open session belongs to, to close them when the server goes away. */
  const sessionServers = new Map<string, string>();
  const proxySessions = new Set<ProxySession>();
  const aggregateSessions = new Set<AggregateSession>();
  const { registry, view } = options;

  const stopFollowingView = view.onDidChange((kinds) => {
    for (const session of aggregateSessions) session.listsChanged(kinds);
  });

  const denied = (principal: Principal, server: string, tool: string): void =>
    options.audit({
      time: Date.now(),
      keyId: principal.keyId,
      keyName: principal.name,
      action: 'tools/call',
      target: `${server}__${tool}`,
      outcome: 'denied',
    });

  const aggregateFactory =
    (principal: Principal): SessionFactory =>
    (channel) => {
      const allowed = toolFilter(principal);
      const session = new AggregateSession(channel, principal, {
        supervisor: options.supervisor,
        view,
        version: options.version,
        canCall: allowed,
        seesEveryTool: rolePermits(principal.role, 'operator') && principal.allow.length === 0 && principal.deny.length === 0,
        batch: options.batch,
        planner: options.planner,
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

  /** `perRequest`: the session of one 2026 request, which never gets a process of its own. */
  const factoryFor =
    (server: ServerSupervisor, principal: Principal, perRequest = false): SessionFactory =>
    (channel) => {
      sessionServers.set(channel.sessionId, server.name);
      const allowed = toolFilter(principal);
      const session = new ProxySession(channel, principal, {
        server,
        isToolEnabled: (tool) => registry.isToolEnabled(server.name, tool) && allowed(server.name, tool),
        onDenied: (tool) => denied(principal, server.name, tool),
        isDenied: (tool) =>
          !allowed(server.name, tool) && (registry.catalog(server.name)?.tools.some((item) => item.name === tool) ?? false),
        batch: options.batch,
        tools: () => registry.enabledTools(server.name),
        ...(server.config.sessionMode === 'per-session' && !perRequest
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
    async serve(req, res, kind, encodedName, principal) {
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
      const factory = server ? factoryFor(server, principal) : aggregateFactory(principal);
      const scope = name ?? '';
      if (kind === 'mcp') {
        const request = server ? factoryFor(server, principal, true) : factory;
        await streamable.handle(req, res, { session: factory, request }, principal.keyId, scope);
      } else if (kind === 'sse') {
        if (req.method !== 'GET') return methodNotAllowed(req, res, 'GET');
        legacy.open(req, res, server ? `/messages/${encodedName}` : '/messages', factory, principal.keyId, scope);
      } else {
        if (req.method !== 'POST') return methodNotAllowed(req, res, 'POST');
        await legacy.post(
          req,
          res,
          new URL(req.url ?? '/', 'http://localhost').searchParams.get('sessionId') ?? undefined,
          principal.keyId,
          scope,
        );
      }
    },
    sessionCounts: () => ({ streamable: streamable.sessionCount, sse: legacy.sessionCount }),
    replaySize: () => streamable.replaySize,
    unsentSize: () => ledger.waiting,
    serverAdded(server) {
      for (const session of aggregateSessions) session.attachTo(server);
    },
    toolsToggled(servers) {
      const names = new Set(servers);
      for (const session of proxySessions) if (names.has(session.serverName)) session.toolsChanged();
    },
    closeSessionsOf(server) {
      const mine = (session: { sessionId: string }) => sessionServers.get(session.sessionId) === server;
      streamable.closeSessions(mine);
      legacy.closeSessions(mine);
    },
    dispose() {
      clearInterval(keyCheck);
      stopFollowingView();
      streamable.dispose();
      legacy.dispose();
      ledger.dispose();
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
