/**
 * Shapes the batch engine shares between its modules. Plan statuses and limits come from
 * `shared/batch-plan.ts`; what is here is engine-side only.
 */
import type { ON_ERROR } from '../../../shared/batch-plan.js';

export type OnError = (typeof ON_ERROR)[number];

/** A task as the validator reads it: a `BatchTask` with or without its defaults applied. */
export interface PlanTaskLike {
  id: string;
  tool: string;
  arguments?: Record<string, unknown>;
  dependsOn?: string[];
  timeoutMs?: number;
  retries?: number;
}

/** A plan as the validator reads it: a `BatchPlan` with or without its defaults applied. */
export interface PlanLike {
  tasks: PlanTaskLike[];
  maxConcurrency?: number;
  onError?: OnError;
  /** The tasks whose results go back to the caller. */
  output?: string[];
}
