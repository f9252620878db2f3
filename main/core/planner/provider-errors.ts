/**
 * Provider failures from the AI SDK as `PlannerError`s, so every one reads the same way: which
 * provider, what happened, what to do. Loaded with the planner's engine, not at the daemon's start.
 */
import { APICallError, JSONParseError, RetryError, TypeValidationError } from 'ai';
import { MissingCredentialError } from '../config/credentials.js';
import { PlannerError } from './planner-error.js';

const MAX_BODY_IN_MESSAGE = 300;

/** Translates anything a model call threw into a `PlannerError`; `provider` names who answered. */
export function plannerErrorOf(error: unknown, provider: string, signal?: AbortSignal): PlannerError {
  if (error instanceof PlannerError) return error;
  if (error instanceof MissingCredentialError)
    return new PlannerError('missing_credential', error.message, { variable: error.reference.name });
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof PlannerError) return reason;
    const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
    return new PlannerError(
      timedOut ? 'timeout' : 'cancelled',
      timedOut ? `${provider}: the model did not answer in time` : 'the planning was cancelled',
    );
  }
  if (RetryError.isInstance(error)) {
    const last = plannerErrorOf(error.lastError, provider);
    const attempts = error.errors.length;
    return new PlannerError(last.code, `${last.message} (${attempts} attempts)`, { ...last.details, attempts });
  }
  if (APICallError.isInstance(error)) return fromApiCall(error, provider);
  if (JSONParseError.isInstance(error) || TypeValidationError.isInstance(error)) {
    return new PlannerError('bad_response', `${provider} answered something that is not its API's format: ${short(error.message)}`);
  }
  if (isMalformedStream(error)) {
    return new PlannerError('bad_response', `${provider} answered something that is not its API's format: ${short(messageOf(error))}`);
  }
  if (isConnectionBreak(error)) {
    return new PlannerError('stream_cut', `${provider}: the connection broke before the answer ended (${messageOf(error)})`);
  }
  return new PlannerError('provider_error', `${provider}: ${short(messageOf(error))}`);
}

function fromApiCall(error: APICallError, provider: string): PlannerError {
  const status = error.statusCode;
  const body = error.responseBody ? `: ${short(error.responseBody)}` : '';
  if (status === 401 || status === 403) {
    return new PlannerError(
      'unauthorized',
      `${provider} refused the credentials (HTTP ${status})${body}; check orch.planner's key or token`,
      { status },
    );
  }
  if (status === 429) return new PlannerError('rate_limited', `${provider} is rate limiting the planner (HTTP 429)${body}`, { status });
  // A success status whose body could not be read as the API's answer.
  if (status !== undefined && status >= 200 && status < 300) {
    return new PlannerError('bad_response', `${provider} answered something that is not its API's format (HTTP ${status})${body}`, {
      status,
    });
  }
  if (status !== undefined) return new PlannerError('provider_error', `${provider} failed (HTTP ${status})${body}`, { status });
  // No status: the call never got an HTTP answer, or the answer could not be read.
  if (isConnectionBreak(error.cause))
    return new PlannerError('stream_cut', `${provider}: the connection broke (${messageOf(error.cause)})`);
  if (JSONParseError.isInstance(error.cause) || TypeValidationError.isInstance(error.cause)) {
    return new PlannerError(
      'bad_response',
      `${provider} answered something that is not its API's format: ${short(messageOf(error.cause))}`,
    );
  }
  return new PlannerError('provider_error', `${provider}: ${short(error.message)}`);
}

/** A body cut short or a socket closed under a read: what undici and Node report then. */
function isConnectionBreak(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'ECONNREFUSED', 'UND_ERR_CLOSED'].includes(code)) return true;
  if (error.message === 'terminated' || /socket|other side closed|premature close/i.test(error.message)) return true;
  return error.cause !== undefined && error.cause !== error && isConnectionBreak(error.cause);
}

/** A binary event stream that ended normally with bytes that are no whole frame, or a frame that fails its checksum. */
function isMalformedStream(error: unknown): boolean {
  return error instanceof Error && /event-stream frame|checksum|crc32/i.test(error.message);
}

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_BODY_IN_MESSAGE ? `${flat.slice(0, MAX_BODY_IN_MESSAGE)}…` : flat;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
