/**
 * The REST API (SPEC §7), generated from the contract: each operation of `operationList` is routed
 * by method and path template, its body read (JSON, 4 MiB), its input checked with its zod schema
 * (400 naming the fields), the caller's role checked (403 naming the role needed), and its handler
 * called once; the result is sent with the operation's status. A handler's `ApiError` travels as
 * `{ error: { code, message, details } }` with its status; anything else is a 500 that says no
 * more. Every mutating operation is written to the audit log, refused or not.
 */
import type { ServerResponse } from 'node:http';
import type { Middleware } from 'koa';
import { hasBody, invalidInputBody, restInput, roleAllows, ERROR_STATUS, type Operation } from '../../../../shared/api/contract.js';
import { operationList } from '../../../../shared/api/operations.js';
import { errorBody } from '../../../../shared/errors.js';
import type { AuditOutcome } from '../../store/audit.repository.js';
import type { AuthState } from '../auth-guard.js';
import type { ApiCall, ApiDeps, ApiRuntime, HandledId, Handlers } from './api-deps.js';
import { ApiError } from './api-error.js';
import { callHandlers } from './calls.handlers.js';
import { clientHandlers } from './clients.handlers.js';
import { ConfigEditor } from './config-editor.js';
import { configHandlers } from './config.handlers.js';
import { openEventStream } from './events-stream.js';
import { importHandlers } from './import.handlers.js';
import { readJsonBody } from './json-body.js';
import { metaHandlers } from './meta.handlers.js';
import { metricsHandlers } from './metrics.handlers.js';
import { RouteTable } from './route-table.js';
import { runHandlers } from './runs.handlers.js';
import { serverHandlers } from './servers.handlers.js';
import { tokenHandlers } from './tokens.handlers.js';
import { toolHandlers } from './tools.handlers.js';

const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Every handler, one per operation but the event stream (the compiler checks none is missing). */
export function createHandlers(deps: ApiDeps): Handlers {
  const editor = new ConfigEditor(deps);
  return {
    ...serverHandlers(deps, editor),
    ...toolHandlers(deps, editor),
    ...configHandlers(deps, editor),
    ...runHandlers(deps),
    ...callHandlers(deps),
    ...tokenHandlers(deps),
    ...metaHandlers(deps),
    ...metricsHandlers(deps),
    ...clientHandlers(deps),
    ...importHandlers(deps, editor),
  };
}

export function createApi(runtime: ApiRuntime): Middleware<AuthState> {
  const deps: ApiDeps = {
    ...runtime,
    reload: () => runtime.reload() ?? starting(),
  };
  const routes = new RouteTable<Operation>(operationList);
  const handlers = createHandlers(deps);
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  return async (ctx, next) => {
    if (ctx.path !== '/api' && !ctx.path.startsWith('/api/')) {
      await next();
      return;
    }
    const fail = (error: ApiError): void => {
      ctx.status = error.status ?? ERROR_STATUS[error.code];
      ctx.body = errorBody(error.code, error.message, error.details);
    };
    const match = routes.match(ctx.method, ctx.path);
    if (match.kind === 'none') return fail(new ApiError('not_found', `no API operation at ${ctx.method} ${ctx.path}; see GET /api/openapi.json`));
    if (match.kind === 'badEncoding') return fail(new ApiError('bad_request', 'a path parameter is not valid percent-encoding'));
    if (match.kind === 'method') {
      ctx.set('allow', match.allow.join(', '));
      return fail(new ApiError('bad_request', `${ctx.method} is not allowed on ${ctx.path}; use ${match.allow.join(' or ')}`, undefined, 405));
    }
    const { operation, params } = match;
    const principal = ctx.state.principal;
    const call: ApiCall = { principal, signal: abortSignalOf(ctx.res), audit: { target: defaultTarget(params) } };
    const audit = (outcome: AuditOutcome, details?: unknown): void => {
      if (!operation.mutating) return;
      const extra = details ?? call.audit.details;
      deps.store.audit.record({
        time: Date.now(),
        keyId: principal.keyId,
        keyName: principal.name,
        action: operation.id,
        ...(call.audit.target !== undefined ? { target: call.audit.target } : {}),
        outcome,
        ...(extra !== undefined ? { details: extra } : {}),
      });
    };

    if (!roleAllows(principal.role, operation.role)) {
      audit('denied', { role: principal.role });
      return fail(new ApiError('forbidden', `${operation.id} needs the ${operation.role} role or higher; the key "${principal.name}" is ${principal.role}`, { need: operation.role, have: principal.role }));
    }
    try {
      if (operation.stream === 'sse') {
        deps.reload();
        if (ctx.method === 'HEAD') {
          ctx.status = 200;
          ctx.type = 'text/event-stream';
          return;
        }
        ctx.respond = false;
        openEventStream(deps, ctx.req, ctx.res);
        return;
      }
      const body = hasBody(operation) ? await readJsonBody(ctx.req, maxBodyBytes) : undefined;
      const parsed = operation.input.safeParse(restInput(operation, { params, query: ctx.query, body }));
      if (!parsed.success) {
        const invalid = invalidInputBody(parsed.error);
        throw new ApiError('bad_request', invalid.error.message, invalid.error.details);
      }
      // The input was just parsed by this operation's own schema: the handler's type holds.
      const handler = handlers[operation.id as HandledId] as (input: unknown, call: ApiCall) => unknown;
      const result = await handler(parsed.data, call);
      ctx.status = operation.status ?? 200;
      ctx.body = result;
      audit('ok');
    } catch (error) {
      if (error instanceof ApiError) {
        audit(error.code === 'forbidden' ? 'denied' : 'error', { error: error.message });
        return fail(error);
      }
      audit('error', { error: 'internal error' });
      console.error(`mcp-orch: ${operation.id} failed:`, error);
      ctx.status = 500;
      ctx.body = errorBody('internal', 'internal error');
    }
  };
}

/** Between binding the port and applying the configuration, a request is told to retry. */
function starting(): never {
  throw new ApiError('server_unavailable', 'MCP Orch is still starting: retry in a moment');
}

/** The audit target a path names: a server, `server__tool`, a key or run id. */
function defaultTarget(params: Record<string, string>): string | undefined {
  if (params.server !== undefined && params.tool !== undefined) return `${params.server}__${params.tool}`;
  return params.name ?? params.id ?? params.server;
}

function abortSignalOf(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
