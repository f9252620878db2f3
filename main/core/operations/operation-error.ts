/**
 * The one error a handler throws: a code from the shared enum, a message for the caller, optional
 * details. The router answers it with `ERROR_STATUS[code]` (or `status`, for the few HTTP-only
 * answers such as 415) and `{ error: { code, message, details } }`.
 */
import type { ErrorCode } from '../../../shared/errors.js';

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Overrides the status of `code` (415 has no code of its own). */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
