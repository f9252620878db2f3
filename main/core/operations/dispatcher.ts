/**
 * The operations layer's face to every transport (REST, the Electron IPC bridge, the CLI's local
 * writes): one entry point per kind of use. Whoever carries a call establishes the principal; the
 * dispatcher checks the input, the role and the tool permissions, runs the handler, audits every
 * mutating operation and answers a `Result`.
 */
import type { OrchEvent } from '../../../shared/api/events.js';
import type { OperationId } from '../../../shared/api/operations.js';
import type { OperationFailure, Result } from '../../../shared/api/result.js';
import type { Principal } from '../auth/roles.js';

export interface Dispatcher {
  /**
   * Runs operation `id` for `principal` with an untrusted `input`. Never rejects: a bad input,
   * a refusal or a failure is a failed `Result` whose code is one of the contract's. Aborting
   * `signal` tells the handler its caller went away.
   */
  dispatch(id: OperationId, input: unknown, principal: Principal, signal?: AbortSignal): Promise<Result>;
  /**
   * Refuses operation `id` for a reason its transport found before there was an input (an unreadable
   * body): checked and audited like a dispatch, so a refusal is on record. `known`: the part of the
   * input known so far (path parameters), for the audit entry.
   */
  refuse(id: OperationId, principal: Principal, failure: OperationFailure, known?: unknown): Result;
  /**
   * Delivers the live events `principal` may see to `listener` until the returned function is called;
   * a failed `Result` when the principal may not follow events at all.
   */
  subscribe(principal: Principal, listener: (event: OrchEvent) => void): Result<() => void>;
}
