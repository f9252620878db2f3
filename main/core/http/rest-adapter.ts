/**
 * The REST API: a thin adapter over the operations layer. It matches `METHOD /api/...` to an
 * operation of the contract, reads the JSON body (4 MiB), turns path, query and body into the
 * operation's one input object, dispatches it as the authenticated principal and writes the
 * `Result`: the value with the operation's status, or `{ error: { code, message, details } }` with
 * the status of its code. `/api/events` is the live event stream over SSE.
 */
import type { ServerResponse } from 'node:http';
import type { Middleware } from 'koa';
import { ERROR_STATUS, hasBody, restInput, type Operation } from '../../../shared/api/contract.js';
import { operationList, type OperationId } from '../../../shared/api/operations.js';
import type { Result } from '../../../shared/api/result.js';
import { errorBody } from '../../../shared/errors.js';
import type { Dispatcher } from '../operations/dispatcher.js';
import type { AuthState } from './auth-guard.js';
import { openEventStream } from './events-sse.js';
import { RestError, readJsonBody } from './json-body.js';
import { RouteTable } from './route-table.js';

const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface RestOptions {
  /** Largest JSON body accepted; default 4 MiB. */
  maxBodyBytes?: number;
  /** Heartbeat interval of `/api/events`; default 15 s. */
  heartbeatMs?: number;
}

export function createRestApi(dispatcher: Dispatcher, options: RestOptions = {}): Middleware<AuthState> {
  const routes = new RouteTable<Operation>(operationList);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  return async (ctx, next) => {
    if (ctx.path !== '/api' && !ctx.path.startsWith('/api/')) {
      await next();
      return;
    }
    const fail = (code: keyof typeof ERROR_STATUS, message: string, status?: number): void => {
      ctx.status = status ?? ERROR_STATUS[code];
      ctx.body = errorBody(code, message);
    };
    const match = routes.match(ctx.method, ctx.path);
    if (match.kind === 'none') return fail('not_found', `no API operation at ${ctx.method} ${ctx.path}; see GET /api/openapi.json`);
    if (match.kind === 'badEncoding') return fail('bad_request', 'a path parameter is not valid percent-encoding');
    if (match.kind === 'method') {
      ctx.set('allow', match.allow.join(', '));
      return fail('bad_request', `${ctx.method} is not allowed on ${ctx.path}; use ${match.allow.join(' or ')}`, 405);
    }
    const { operation, params } = match;
    const id = operation.id as OperationId;
    const principal = ctx.state.principal;
    const answer = (result: Result, status?: number): void => {
      if (result.ok) {
        ctx.status = operation.status ?? 200;
        ctx.body = result.value;
      } else {
        ctx.status = status ?? ERROR_STATUS[result.error.code];
        ctx.body = errorBody(result.error.code, result.error.message, result.error.details);
      }
    };

    if (operation.stream === 'sse') {
      if (ctx.method === 'HEAD') {
        const probe = dispatcher.subscribe(principal, () => undefined);
        if (!probe.ok) return answer(probe);
        probe.value();
        ctx.status = 200;
        ctx.type = 'text/event-stream';
        return;
      }
      const opened = openEventStream(dispatcher, principal, ctx.req, ctx.res, { heartbeatMs: options.heartbeatMs });
      if (opened.ok) ctx.respond = false;
      else answer(opened);
      return;
    }
    let body: unknown;
    if (hasBody(operation)) {
      try {
        body = await readJsonBody(ctx.req, maxBodyBytes);
      } catch (error) {
        if (!(error instanceof RestError)) throw error;
        // The rest of a body too large to read is not drained: the connection closes after the answer.
        if (error.code === 'payload_too_large') ctx.set('Connection', 'close');
        const refused = dispatcher.refuse(id, principal, { code: error.code, message: error.message }, params);
        return answer(refused, refused.ok || refused.error.code !== error.code ? undefined : error.status);
      }
    }
    answer(await dispatcher.dispatch(id, restInput(operation, { params, query: ctx.query, body }), principal, abortSignalOf(ctx.res)));
  };
}

function abortSignalOf(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the API client went away'));
  });
  return controller.signal;
}
