/**
 * What a batch run reports: per task its status, times, attempts and result or error, plus the
 * run's wall time, the sum of task times and the speedup parallelism achieved. Also the events the
 * executor fires while it runs.
 */
import type { RunStatus, TaskStatus } from '../../../shared/batch-plan.js';
import type { ToolResult } from './references.js';

export const TASK_ERROR_CODES = [
  /** The tool answered with `isError: true`. */
  'tool_error',
  /** The call itself failed: a JSON-RPC error, the server down… */
  'call_failed',
  'timeout',
  /** A reference's path is not in the result it names. */
  'reference',
] as const;
export type TaskErrorCode = (typeof TASK_ERROR_CODES)[number];

export interface TaskError {
  code: TaskErrorCode;
  message: string;
}

/** One task of a finished run. */
export interface TaskReport {
  id: string;
  tool: string;
  server: string;
  status: TaskStatus;
  /** Calls made; 0 when the task never started. */
  attempts: number;
  /** Epoch milliseconds (fractional) of the first attempt's start. */
  startedAt?: number;
  endedAt?: number;
  /** From the first start to the end, retries and their backoff included. */
  durationMs?: number;
  /** The last result: on success, and on `tool_error`. */
  result?: ToolResult;
  /** Why a task failed. */
  error?: TaskError;
  /** Why a task was skipped or cancelled. */
  reason?: string;
}

/** A finished run. */
export interface RunReport {
  /** `succeeded` when every task did; `cancelled` when the run was; else `failed`. */
  status: RunStatus;
  startedAt: number;
  endedAt: number;
  wallTimeMs: number;
  /** The sum of the tasks' durations. */
  taskTimeMs: number;
  /** `taskTimeMs / wallTimeMs`: how many tasks ran at once on average (1 when nothing took time). */
  speedup: number;
  /** In plan order. */
  tasks: TaskReport[];
  /** Ids of the tasks whose results go back to the caller (the plan's `output`); undefined: every task. */
  output?: string[];
}

/** Fired as a run goes, in the order things happen. */
export type TaskEvent =
  | { type: 'started'; index: number; id: string; attempt: number; at: number }
  | { type: 'retrying'; index: number; id: string; attempt: number; error: TaskError; delayMs: number; at: number }
  | {
      type: 'ended';
      index: number;
      id: string;
      status: TaskStatus;
      at: number;
      error?: TaskError;
      reason?: string;
      /** The task's result, whole, for whoever keeps it (the run books store it cut); never sent on as it is. */
      result?: ToolResult;
    };
