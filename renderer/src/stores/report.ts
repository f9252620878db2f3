/**
 * What the stores do with a failed call: every failure becomes a message for the page, and the
 * connection store hears about the ones that mean the daemon is gone or the token is refused.
 */
import { OrchClientError } from '@shared/api/client';

export type Reporter = (error: unknown) => string;

/** The message of a failed call. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether a failure means nothing answered at all. */
export function isUnreachable(error: unknown): boolean {
  return (
    error instanceof OrchClientError &&
    error.code === 'server_unavailable' &&
    (error.details as { reason?: string } | undefined)?.reason === 'unreachable'
  );
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof OrchClientError && error.code === 'unauthorized';
}
