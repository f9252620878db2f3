/**
 * The one error a handler throws: a code from the shared enum, a message for the caller, optional
 * details. Dispatch turns it into a failed `Result`; REST sends it with `ERROR_STATUS[code]`.
 */
import type { ErrorCode } from '../../../shared/errors.js';

export class OperationError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'OperationError';
  }
}
