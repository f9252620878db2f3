/**
 * The one way into an operation, whatever carries it (REST, IPC, the CLI): look the operation up,
 * check the caller's role, check the input with the operation's zod schema (every bad field
 * named), check the caller's tool patterns where the operation acts on a tool, run the handler
 * once, audit every mutating operation (refused or not) and answer a `Result` whose error code is
 * one of the contract's. Anything but an `OperationError` is a bug: logged, answered `internal`.
 */
import { invalidInputBody, pathParamNames, roleAllows, type Operation } from '../../../shared/api/contract.js';
import type { OrchEvent } from '../../../shared/api/events.js';
import { operations, type OperationId } from '../../../shared/api/operations.js';
import { failure, success, type OperationFailure, type Result } from '../../../shared/api/result.js';
import { toolPermitted } from '../auth/permissions.js';
import type { Principal } from '../auth/roles.js';
import type { AuditEntry, AuditOutcome } from '../store/audit.repository.js';
import type { Dispatcher } from './dispatcher.js';
import type { HandledId, Handlers, OperationCall } from './deps.js';
import { OperationError } from './operation-error.js';

/** Where live events come from; `subscribe` answers the disposer. */
export interface EventSource {
  subscribe(principal: Principal, listener: (event: OrchEvent) => void): () => void;
}

export interface DispatcherOptions {
  /** The handlers this dispatcher serves; an operation without one answers `not_implemented`. */
  handlers: Partial<Handlers>;
  /** Where mutating operations are recorded. */
  audit: (entry: AuditEntry) => void;
  /** Live events; without them `subscribe` answers `not_implemented` (the CLI's local dispatcher). */
  events?: EventSource;
  /** Where a handler's unexpected error is reported; default `console.error`. */
  onError?: (id: string, error: unknown) => void;
  /** The tools a server offers, as far as known: a key with patterns may act on a whole server only if it may use them all. */
  toolsOf?: (server: string) => readonly string[] | undefined;
}

const NEVER = new AbortController().signal;

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const onError = options.onError ?? ((id, error) => console.error(`mcp-orch: ${id} failed:`, error));

  const record = (
    operation: Operation,
    principal: Principal,
    outcome: AuditOutcome,
    target: string | undefined,
    details: unknown,
  ): void => {
    if (!operation.mutating) return;
    options.audit({
      time: Date.now(),
      keyId: principal.keyId,
      keyName: principal.name,
      action: operation.id,
      ...(target !== undefined ? { target } : {}),
      outcome,
      ...(details !== undefined ? { details } : {}),
    });
  };

  /** The role check every entry point starts with: the refusal (audited), or undefined. */
  const refusedRole = (operation: Operation, principal: Principal, target: string | undefined): Result<never> | undefined => {
    if (roleAllows(principal.role, operation.role)) return undefined;
    record(operation, principal, 'denied', target, { role: principal.role });
    return failure(
      'forbidden',
      `${operation.id} needs the ${operation.role} role or higher; the key "${principal.name}" is ${principal.role}`,
      {
        need: operation.role,
        have: principal.role,
      },
    );
  };

  const dispatch = async (id: OperationId, input: unknown, principal: Principal, signal: AbortSignal = NEVER): Promise<Result> => {
    const operation = operationOf(id);
    if (!operation) return failure('not_found', `no operation "${String(id)}"`);
    if (operation.stream) return failure('bad_request', `${operation.id} is a stream of events: subscribe to it`);
    const call: OperationCall = { principal, signal, audit: { target: defaultTarget(operation, input) } };
    const refused = refusedRole(operation, principal, call.audit.target);
    if (refused) return refused;
    try {
      const parsed = operation.input.safeParse(input);
      if (!parsed.success) {
        const invalid = invalidInputBody(parsed.error).error;
        throw new OperationError('bad_request', invalid.message, invalid.details);
      }
      const fields = parsed.data;
      if (operation.acts) refusedByPatterns(operation, operation.acts, fields, principal);
      // The input was just parsed by this operation's own schema: the handler's type holds.
      const handler = options.handlers[operation.id as HandledId] as ((input: unknown, call: OperationCall) => unknown) | undefined;
      if (!handler) throw new OperationError('not_implemented', `${operation.id} is not served here`);
      const value = await handler(fields, call);
      record(operation, principal, 'ok', call.audit.target, call.audit.details);
      return success(value);
    } catch (error) {
      if (error instanceof OperationError) {
        record(operation, principal, error.code === 'forbidden' ? 'denied' : 'error', call.audit.target, { error: error.message });
        return failure(error.code, error.message, error.details);
      }
      record(operation, principal, 'error', call.audit.target, { error: 'internal error' });
      onError(operation.id, error);
      return failure('internal', 'internal error');
    }
  };

  /** Throws when the key's allow/deny patterns do not let it act on what the operation names. */
  const refusedByPatterns = (
    operation: Operation,
    acts: NonNullable<Operation['acts']>,
    fields: Record<string, unknown>,
    principal: Principal,
  ): void => {
    const server = String(fields[acts.server]);
    if (acts.tool !== undefined) {
      const tool = String(fields[acts.tool]);
      if (!toolPermitted(principal, server, tool))
        throw new OperationError('forbidden', `the key "${principal.name}" may not use ${server}__${tool} (its allow/deny patterns)`);
      return;
    }
    if (principal.allow.length === 0 && principal.deny.length === 0) return;
    // A key limited to some tools must not stop or restart a server for everyone who uses the rest.
    const tools = options.toolsOf?.(server) ?? [];
    const outside = tools.filter((tool) => !toolPermitted(principal, server, tool));
    if (tools.length > 0 && outside.length === 0) return;
    const why =
      tools.length === 0
        ? `the tools of "${server}" are not known yet`
        : `its patterns leave out ${outside
            .slice(0, 5)
            .map((tool) => `${server}__${tool}`)
            .join(', ')}${outside.length > 5 ? ', …' : ''}`;
    throw new OperationError(
      'forbidden',
      `the key "${principal.name}" may use only some tools of "${server}", so it may not ${operation.id.split('.')[1]} it for everyone: ${why}`,
    );
  };

  return {
    dispatch,
    refuse(id: OperationId, principal: Principal, reason: OperationFailure, known?: unknown): Result {
      const operation = operationOf(id);
      if (!operation) return failure('not_found', `no operation "${String(id)}"`);
      const target = defaultTarget(operation, known);
      const refused = refusedRole(operation, principal, target);
      if (refused) return refused;
      record(operation, principal, 'error', target, { error: reason.message });
      return { ok: false, error: reason };
    },
    subscribe(principal: Principal, listener: (event: OrchEvent) => void): Result<() => void> {
      const refused = refusedRole(operations['events.stream'], principal, undefined);
      if (refused) return refused;
      if (!options.events) return failure('not_implemented', 'live events are not served here');
      return success(options.events.subscribe(principal, listener));
    },
  };
}

/** The operation `id` names, if it is one of the contract's (an IPC caller may send anything). */
function operationOf(id: unknown): Operation | undefined {
  return typeof id === 'string' && Object.hasOwn(operations, id) ? (operations as Record<string, Operation>)[id] : undefined;
}

/** What an audit entry names by default: `server__tool`, else the server, key or run a path names. */
function defaultTarget(operation: Operation, input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const fields = input as Record<string, unknown>;
  const params = new Set(pathParamNames(operation.path));
  const field = (name: string): string | undefined => (params.has(name) && typeof fields[name] === 'string' ? fields[name] : undefined);
  const server = field('server');
  const tool = field('tool');
  if (server !== undefined && tool !== undefined) return `${server}__${tool}`;
  return field('name') ?? field('id') ?? server;
}
