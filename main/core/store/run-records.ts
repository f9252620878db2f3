/**
 * The runs as the store takes them in (`NewRun`, `RunOutcome`) and gives them back (`StoredRun`):
 * the shapes both the repository and its row mapping (`run-rows.ts`) speak.
 */
import type { RunStatus, TaskStatus } from '../../../shared/batch-plan.js';

/** Where a run came from (as the API contract names it). */
export type RunSource = 'api' | 'batch_execute' | 'plan_and_execute';

/** A run as it starts. */
export interface NewRun {
  id: string;
  source: RunSource;
  /** The plan as validated (defaults applied). */
  plan: unknown;
  /** The name of the key that started it. */
  createdBy?: string | undefined;
  /** The id of that key. */
  createdByKey?: string | undefined;
  sessionId?: string | undefined;
  startedAt: number;
  /** `tool` as the plan names it; `toolName` the tool's own name on `server`. */
  tasks: { id: string; tool: string; server?: string | undefined; toolName?: string | undefined }[];
}

/** How the planner made a run's plan (runs from a request only). */
export interface RunPlanning {
  /** The natural-language request. */
  request: string;
  /** From the request to the complete, validated plan. */
  planningMs: number;
  /** From the request to the first tool call, when one started. */
  firstCallMs?: number | undefined;
  /** The model's token usage, as its provider reported it. */
  inputTokens: number;
  outputTokens: number;
  /** The plan came from the plan cache. */
  cacheHit: boolean;
}

/** One task as it ended. */
export interface TaskOutcome {
  status: TaskStatus;
  attempts: number;
  startedAt?: number | undefined;
  endedAt?: number | undefined;
  durationMs?: number | undefined;
  /** The (possibly cut) result, stored as JSON. */
  result?: unknown;
  truncated?: boolean | undefined;
  error?: { code: string; message: string } | undefined;
  reason?: string | undefined;
}

/** A run as it ended. */
export interface RunOutcome {
  status: RunStatus;
  endedAt: number;
  wallMs: number;
  sumTaskMs: number;
  speedup: number;
  error?: string | undefined;
  /** In plan order. */
  tasks: TaskOutcome[];
}

export interface StoredTask extends TaskOutcome {
  index: number;
  id: string;
  tool: string;
  server?: string | undefined;
}

export interface StoredRun {
  id: string;
  source: RunSource;
  status: RunStatus;
  plan: unknown;
  createdBy?: string | undefined;
  createdByKey?: string | undefined;
  sessionId?: string | undefined;
  taskCount: number;
  startedAt: number;
  endedAt?: number | undefined;
  wallMs?: number | undefined;
  sumTaskMs?: number | undefined;
  speedup?: number | undefined;
  error?: string | undefined;
  /** Set for runs the planner planned. */
  planning?: RunPlanning | undefined;
  tasks: StoredTask[];
}
