/** The rows of `runs` and `run_tasks` as SQLite holds them, and how they read as runs and tasks. */
import type { RunStatus, TaskStatus } from '../../../shared/batch-plan.js';
import type { RunPlanning, RunSource, StoredRun, StoredTask } from './run-records.js';

/** A row of `runs`. */
export interface RunRow {
  id: string;
  source: RunSource;
  status: RunStatus;
  plan: string;
  created_by: string | null;
  created_by_key: string | null;
  session_id: string | null;
  task_count: number;
  started_at: number;
  ended_at: number | null;
  wall_ms: number | null;
  sum_task_ms: number | null;
  speedup: number | null;
  error: string | null;
  request: string | null;
  planning_ms: number | null;
  first_call_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_hit: number | null;
}

/** A row of `run_tasks`. */
export interface TaskRow {
  idx: number;
  task_id: string;
  tool: string;
  server: string | null;
  status: TaskStatus;
  attempts: number;
  started_at: number | null;
  ended_at: number | null;
  duration_ms: number | null;
  result: string | null;
  truncated: number;
  error_code: string | null;
  error_message: string | null;
  reason: string | null;
}

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

/** A `runs` row as a run (its planning figures for a planned run). */
export function toRun(row: RunRow): Omit<StoredRun, 'tasks'> {
  return {
    id: row.id,
    source: row.source,
    status: row.status,
    plan: JSON.parse(row.plan) as unknown,
    createdBy: orUndefined(row.created_by),
    createdByKey: orUndefined(row.created_by_key),
    sessionId: orUndefined(row.session_id),
    taskCount: row.task_count,
    startedAt: row.started_at,
    endedAt: orUndefined(row.ended_at),
    wallMs: orUndefined(row.wall_ms),
    sumTaskMs: orUndefined(row.sum_task_ms),
    speedup: orUndefined(row.speedup),
    error: orUndefined(row.error),
    ...(row.request !== null ? { planning: planningOf(row, row.request) } : {}),
  };
}

function planningOf(row: RunRow, request: string): RunPlanning {
  return {
    request,
    planningMs: row.planning_ms ?? 0,
    firstCallMs: orUndefined(row.first_call_ms),
    inputTokens: row.input_tokens ?? 0,
    outputTokens: row.output_tokens ?? 0,
    cacheHit: row.cache_hit === 1,
  };
}

/** A `run_tasks` row as a task. */
export function toTask(row: TaskRow): StoredTask {
  return {
    index: row.idx,
    id: row.task_id,
    tool: row.tool,
    server: orUndefined(row.server),
    status: row.status,
    attempts: row.attempts,
    startedAt: orUndefined(row.started_at),
    endedAt: orUndefined(row.ended_at),
    durationMs: orUndefined(row.duration_ms),
    result: row.result === null ? undefined : (JSON.parse(row.result) as unknown),
    truncated: row.truncated === 1,
    error: row.error_code === null ? undefined : { code: row.error_code, message: row.error_message ?? '' },
    reason: orUndefined(row.reason),
  };
}
