/**
 * A run's bookkeeping while it goes and when it ends: the live state `runs.get` shows before the
 * run is stored as finished, and the outcome written to the runs table.
 */
import type { RunStatus, TaskStatus } from '../../../shared/batch-plan.js';
import type { RunsRepository } from '../store/runs.repository.js';
import { shortResult } from '../batch/batch-tool.js';
import type { ToolResult } from '../batch/references.js';
import type { RunReport, TaskEvent, TaskReport } from '../batch/run-report.js';

/** A task of a run in progress, as it stands now: its report without the result and duration yet. */
export type LiveTask = Omit<TaskReport, 'result' | 'durationMs'>;

/** A run in progress: what `runs.get` shows of it before it is stored as finished. */
export interface LiveRun {
  id: string;
  status: RunStatus;
  tasks: readonly LiveTask[];
}

/** Brings a live task up to date with one event of the executor. */
export function applyEvent(task: LiveTask, event: TaskEvent): void {
  if (event.type === 'started') {
    task.status = 'running';
    task.attempts = event.attempt;
    task.startedAt ??= event.at;
  } else if (event.type === 'retrying') {
    task.error = event.error;
  } else {
    task.status = event.status;
    task.endedAt = event.at;
    if (event.error) task.error = event.error;
    if (event.reason) task.reason = event.reason;
  }
}

/**
 * What the runs table keeps of a finished run: the executor's report, every task's result cut to
 * `maxChars` — the results of tasks outside the plan's `output` too, though the answer leaves them out.
 */
export function outcomeOf(report: RunReport, maxChars: number, error?: string): Parameters<RunsRepository['finish']>[1] {
  return {
    status: report.status,
    endedAt: report.endedAt,
    wallMs: report.wallTimeMs,
    sumTaskMs: report.taskTimeMs,
    speedup: report.speedup,
    ...(error !== undefined ? { error } : {}),
    tasks: report.tasks.map((task) => ({
      status: task.status,
      attempts: task.attempts,
      startedAt: task.startedAt,
      endedAt: task.endedAt,
      durationMs: task.durationMs,
      ...storedResult(task.result, maxChars),
      error: task.error,
      reason: task.reason,
    })),
  };
}

/** What the runs table keeps of one task's result: its text and structured content, cut to `maxChars`. */
export function storedResult(result: ToolResult | undefined, maxChars: number): { result: StoredResult | undefined; truncated: boolean } {
  const short = result ? shortResult(result, maxChars) : undefined;
  if (!short || (short.text === undefined && short.structuredContent === undefined)) return { result: undefined, truncated: false };
  return {
    result: {
      ...(short.text !== undefined ? { text: short.text } : {}),
      ...(short.structuredContent !== undefined ? { structuredContent: short.structuredContent } : {}),
      ...(short.isError ? { isError: true } : {}),
    },
    truncated: short.truncated === true,
  };
}

/** A task's result as the runs table keeps it. */
export interface StoredResult {
  text?: string;
  structuredContent?: unknown;
  isError?: true;
}

/** How many tasks are in each state. */
export function countsOf(tasks: readonly { status: TaskStatus }[]): Partial<Record<TaskStatus, number>> {
  const counts: Partial<Record<TaskStatus, number>> = {};
  for (const task of tasks) counts[task.status] = (counts[task.status] ?? 0) + 1;
  return counts;
}
