/**
 * The per-task state of one run, as parallel arrays indexed by a task's position (no object per
 * task and event), and the report built from it when the run ends. An open run appends rows.
 */
import type { RunStatus, TaskStatus } from '../../../shared/batch-plan.js';
import type { GraphTask } from './plan-graph.js';
import type { ToolResult } from './references.js';
import type { RunReport, TaskError, TaskReport } from './run-report.js';

/** Per-task state of one run, by task index. */
export class TaskTable {
  readonly status: TaskStatus[];
  readonly attempts: number[];
  /** Epoch ms of the first attempt's start; NaN until it starts. */
  readonly startedAt: number[];
  readonly endedAt: number[];
  /** The arguments with references filled in, once the task is ready. */
  readonly args: (Record<string, unknown> | undefined)[];
  readonly results: (ToolResult | undefined)[];
  readonly errors: (TaskError | undefined)[];
  readonly reasons: (string | undefined)[];

  constructor(count: number) {
    this.status = new Array<TaskStatus>(count).fill('queued');
    this.attempts = new Array<number>(count).fill(0);
    this.startedAt = new Array<number>(count).fill(Number.NaN);
    this.endedAt = new Array<number>(count).fill(Number.NaN);
    this.args = new Array<Record<string, unknown> | undefined>(count);
    this.results = new Array<ToolResult | undefined>(count);
    this.errors = new Array<TaskError | undefined>(count);
    this.reasons = new Array<string | undefined>(count);
  }

  /** Adds the row of a task that joins an open run, queued. */
  push(): void {
    this.status.push('queued');
    this.attempts.push(0);
    this.startedAt.push(Number.NaN);
    this.endedAt.push(Number.NaN);
    this.args.push(undefined);
    this.results.push(undefined);
    this.errors.push(undefined);
    this.reasons.push(undefined);
  }

  /** The report of one task as it stands. */
  taskReport(task: GraphTask): TaskReport {
    const index = task.index;
    const report: TaskReport = {
      id: task.id,
      tool: task.tool,
      server: task.target.server,
      status: this.status[index]!,
      attempts: this.attempts[index]!,
    };
    const startedAt = this.startedAt[index]!;
    if (!Number.isNaN(startedAt)) {
      report.startedAt = startedAt;
      report.endedAt = this.endedAt[index]!;
      report.durationMs = report.endedAt - startedAt;
    }
    if (this.results[index]) report.result = this.results[index];
    if (this.errors[index]) report.error = this.errors[index];
    if (this.reasons[index]) report.reason = this.reasons[index];
    return report;
  }

  /** The report of a finished run: `cancelled` when it was, `succeeded` when every task did, else `failed`. */
  runReport(
    tasks: readonly GraphTask[],
    times: { startedAt: number; endedAt: number },
    cancelled: boolean,
    output: string[] | undefined,
  ): RunReport {
    const reports = tasks.map((task) => this.taskReport(task));
    const taskTimeMs = reports.reduce((sum, task) => sum + (task.durationMs ?? 0), 0);
    const wallTimeMs = times.endedAt - times.startedAt;
    const status: RunStatus = cancelled ? 'cancelled' : reports.every((task) => task.status === 'succeeded') ? 'succeeded' : 'failed';
    const speedup = wallTimeMs > 0 && taskTimeMs > 0 ? taskTimeMs / wallTimeMs : 1;
    return { status, ...times, wallTimeMs, taskTimeMs, speedup, tasks: reports, ...(output ? { output } : {}) };
  }
}
