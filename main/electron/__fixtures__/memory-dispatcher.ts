/**
 * Test support: a `Dispatcher` over handlers kept in memory, checking inputs with the contract's
 * own schemas and roles as the real one does. Stands in for the core's operations layer until the
 * runtime exposes it; tests of the shell talk to it exactly as they will to the real one.
 */
import { roleAllows } from '../../../shared/api/contract.js';
import type { OrchEvent } from '../../../shared/api/events.js';
import { operations, type OperationId } from '../../../shared/api/operations.js';
import { failure, success, type OperationFailure, type Result } from '../../../shared/api/result.js';
import type { Principal } from '../../core/shell-surface.js';
import type { Dispatcher } from '../../core/operations/dispatcher.js';

export type MemoryHandler = (input: Record<string, unknown>, signal: AbortSignal | undefined) => unknown;

/** An error a handler throws to answer a failed Result with this code. */
export class HandlerFailure extends Error {
  constructor(readonly failure: OperationFailure) {
    super(failure.message);
  }
}

export class MemoryDispatcher implements Dispatcher {
  readonly calls: { id: OperationId; input: unknown; principal: Principal }[] = [];
  private readonly listeners = new Set<(event: OrchEvent) => void>();

  constructor(private readonly handlers: Partial<Record<OperationId, MemoryHandler>>) {}

  async dispatch(id: OperationId, input: unknown, principal: Principal, signal?: AbortSignal): Promise<Result> {
    this.calls.push({ id, input, principal });
    const operation = operations[id];
    if (!roleAllows(principal.role, operation.role)) return failure('forbidden', `${id} needs the ${operation.role} role`);
    const parsed = operation.input.safeParse(input);
    if (!parsed.success)
      return failure('bad_request', `invalid input: ${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}`);
    const handler = this.handlers[id];
    if (!handler) return failure('not_implemented', `${id} is not served by this test dispatcher`);
    try {
      return success(await handler(parsed.data as Record<string, unknown>, signal));
    } catch (error) {
      if (error instanceof HandlerFailure) return { ok: false, error: error.failure };
      return failure('internal', (error as Error).message);
    }
  }

  refuse(_id: OperationId, _principal: Principal, refusal: OperationFailure): Result {
    return { ok: false, error: refusal };
  }

  subscribe(principal: Principal, listener: (event: OrchEvent) => void): Result<() => void> {
    if (!roleAllows(principal.role, 'viewer')) return failure('forbidden', 'no events for this principal');
    this.listeners.add(listener);
    return success(() => this.listeners.delete(listener));
  }

  /** Delivers `event` to every subscriber. */
  emit(event: OrchEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }
}
