/** Error codes that cross process boundaries (REST, IPC, CLI). One enum for all of them. */
export const ERROR_CODES = [
  'bad_request',
  'invalid_config',
  'not_found',
  'unknown_server',
  'unknown_tool',
  /** The resource is not in a state that allows it (stale revision, finished run, taken name). */
  'conflict',
  'forbidden',
  'unauthorized',
  'rate_limited',
  'payload_too_large',
  'server_unavailable',
  'timeout',
  'cancelled',
  'internal',
  /** The operation exists in the contract but this daemon does not do it yet. */
  'not_implemented',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
