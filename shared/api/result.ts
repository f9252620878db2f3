/**
 * How an operation's outcome travels across every boundary (REST, IPC, the CLI's local calls):
 * as data, never as a thrown error. Runtime-neutral: no node:*, no DOM.
 */
import type { ErrorCode } from '../errors.js';

/** Why an operation failed: a code from the one enum, a message for people, optional details. */
export interface OperationFailure {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type Result<T = unknown> = { ok: true; value: T } | { ok: false; error: OperationFailure };

export function success<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function failure(code: ErrorCode, message: string, details?: unknown): Result<never> {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } };
}
