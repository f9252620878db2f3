/**
 * What can go wrong while planning, as one error type with a code the surfaces map to their own
 * (REST status, MCP tool error, CLI exit). Light on purpose: the surfaces load it at the daemon's
 * start, the AI SDK only with the first planner (provider-errors.ts translates its failures).
 */

export const PLANNER_ERROR_CODES = [
  /** No `orch.planner` in the config. */
  'not_configured',
  /** A credential the provider needs is not set; the message names the variable. */
  'missing_credential',
  /** The provider refused the credentials (401, 403). */
  'unauthorized',
  /** Still rate limited (429) after the retries. */
  'rate_limited',
  /** The provider failed (5xx, or another HTTP error), after the retries where they apply. */
  'provider_error',
  /** The provider answered something that is not its wire format. */
  'bad_response',
  /** The connection broke before the answer ended. */
  'stream_cut',
  'timeout',
  'cancelled',
  /** The model's plan was still invalid after the repair round; `details.problems` lists why. */
  'invalid_plan',
  /** The model gave no task: the request may not be doable with the tools at hand. */
  'no_plan',
] as const;
export type PlannerErrorCode = (typeof PLANNER_ERROR_CODES)[number];

/** Why a planning failed: a code for the surfaces, a message for the user. */
export class PlannerError extends Error {
  constructor(
    readonly code: PlannerErrorCode,
    message: string,
    /** Whatever helps the caller: the plan's problems, the HTTP status, the partial run. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'PlannerError';
  }
}
