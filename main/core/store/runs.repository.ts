/**
 * Batch runs (docs/specification.md §6): each run is written when it starts (its plan, who started
 * it, every task queued, in one transaction), as its tasks start, retry and end (queued and written
 * in batches, so a killed daemon loses at most the last batch interval of progress), and when it
 * ends (status, timings, every task's outcome and result, in one transaction). Runs a stopped
 * daemon left `running` are marked `interrupted` at the next start, their unfinished tasks with them.
 */
import type { Database, Statement } from 'better-sqlite3';
import { BatchWriter, type BatchWriterOptions } from './batch-writer.js';
import { VISIBLE_FUNCTION, applyScope, registerVisible, type RecordScope } from './record-scope.js';
import { Filters } from './time-ordered.js';
import { toRun, toTask, type RunRow, type TaskRow } from './run-rows.js';
import type { RunStatus, TaskStatus } from '../../../shared/batch-plan.js';
import type { NewRun, RunOutcome, RunPlanning, StoredRun } from './run-records.js';

export type { NewRun, RunOutcome, RunPlanning, RunSource, StoredRun, StoredTask, TaskOutcome } from './run-records.js';

/** What `page` selects. */
export interface RunQuery {
  /** Which runs the reader may see at all: of these keys, and only runs whose every tool `visible` lets through. */
  scope?: RecordScope | undefined;
  status?: RunStatus | undefined;
  limit?: number | undefined;
  /** The `nextCursor` of the previous page. */
  before?: string | undefined;
}

/** A run without its tasks, for lists. */
export interface RunSummary extends Omit<StoredRun, 'tasks'> {
  /** Tasks per status, as stored. */
  counts: Partial<Record<TaskStatus, number>>;
}

export interface RunPage {
  items: RunSummary[];
  nextCursor?: string;
}

/** A task's state as it stands after a start, a retry or its end (with its result, cut, once it ended). */
export interface TaskProgress {
  status: TaskStatus;
  attempts: number;
  startedAt?: number | undefined;
  endedAt?: number | undefined;
  error?: { code: string; message: string } | undefined;
  reason?: string | undefined;
  /** The (possibly cut) result of a task that ended; absent before. */
  result?: unknown;
  truncated?: boolean | undefined;
}

export class RunsRepository {
  private readonly progressWriter: BatchWriter<{ runId: string; index: number; progress: TaskProgress }>;
  private readonly updateProgress: Statement<unknown[]>;
  private readonly updateResult: Statement<unknown[]>;

  /** Fires when a batch of task progress could not be written. */
  readonly onDidFail: BatchWriter<unknown>['onDidFail'];

  constructor(
    private readonly db: Database,
    options: BatchWriterOptions = {},
  ) {
    this.updateProgress = db.prepare(
      'UPDATE run_tasks SET status = ?, attempts = ?, started_at = ?, ended_at = ?, error_code = ?, error_message = ?, reason = ? WHERE run_id = ? AND idx = ?',
    );
    this.updateResult = db.prepare('UPDATE run_tasks SET result = ?, truncated = ? WHERE run_id = ? AND idx = ?');
    const write = db.transaction((items: readonly { runId: string; index: number; progress: TaskProgress }[]) => {
      for (const { runId, index, progress } of items) {
        this.updateProgress.run(
          progress.status,
          progress.attempts,
          progress.startedAt ?? null,
          progress.endedAt ?? null,
          progress.error?.code ?? null,
          progress.error?.message ?? null,
          progress.reason ?? null,
          runId,
          index,
        );
        if (progress.result !== undefined) this.updateResult.run(JSON.stringify(progress.result), progress.truncated ? 1 : 0, runId, index);
      }
    });
    this.progressWriter = new BatchWriter((items) => write(items), options);
    this.onDidFail = this.progressWriter.onDidFail;
  }

  /** Queues a task's new state and returns at once; it reaches the file within the batch interval. */
  progress(runId: string, index: number, progress: TaskProgress): void {
    this.progressWriter.push({ runId, index, progress: { ...progress, ...(progress.error ? { error: { ...progress.error } } : {}) } });
  }

  /** Writes the queued progress now. */
  flush(): void {
    this.progressWriter.flush();
  }

  /** Writes what is queued and stops accepting progress. Idempotent. */
  close(): void {
    this.progressWriter.close();
  }

  /** Records a run that starts: the run `running`, every task `queued`. */
  start(run: NewRun): void {
    const insertRun = this.db.prepare(
      'INSERT INTO runs (id, source, status, plan, created_by, created_by_key, session_id, task_count, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertTask = this.db.prepare(
      "INSERT INTO run_tasks (run_id, idx, task_id, tool, server, tool_name, status) VALUES (?, ?, ?, ?, ?, ?, 'queued')",
    );
    this.db.transaction(() => {
      insertRun.run(
        run.id,
        run.source,
        'running',
        JSON.stringify(run.plan),
        run.createdBy ?? null,
        run.createdByKey ?? null,
        run.sessionId ?? null,
        run.tasks.length,
        Math.trunc(run.startedAt),
      );
      run.tasks.forEach((task, index) => insertTask.run(run.id, index, task.id, task.tool, task.server ?? null, task.toolName ?? null));
    })();
  }

  /** Records how a run ended, every task included (after any progress still queued). */
  finish(id: string, outcome: RunOutcome): void {
    this.progressWriter.flush();
    const updateRun = this.db.prepare(
      'UPDATE runs SET status = ?, ended_at = ?, wall_ms = ?, sum_task_ms = ?, speedup = ?, error = ? WHERE id = ?',
    );
    const updateTask = this.db.prepare(
      `UPDATE run_tasks SET status = ?, attempts = ?, started_at = ?, ended_at = ?, duration_ms = ?, result = ?, truncated = ?,
         error_code = ?, error_message = ?, reason = ? WHERE run_id = ? AND idx = ?`,
    );
    this.db.transaction(() => {
      updateRun.run(
        outcome.status,
        Math.trunc(outcome.endedAt),
        outcome.wallMs,
        outcome.sumTaskMs,
        outcome.speedup,
        outcome.error ?? null,
        id,
      );
      outcome.tasks.forEach((task, index) =>
        updateTask.run(
          task.status,
          task.attempts,
          task.startedAt ?? null,
          task.endedAt ?? null,
          task.durationMs ?? null,
          task.result === undefined ? null : JSON.stringify(task.result),
          task.truncated ? 1 : 0,
          task.error?.code ?? null,
          task.error?.message ?? null,
          task.reason ?? null,
          id,
          index,
        ),
      );
    })();
  }

  /** Records how the planner made the plan of run `id` (after `start`); false when there is no such run. */
  recordPlanning(id: string, planning: RunPlanning): boolean {
    return (
      this.db
        .prepare(
          'UPDATE runs SET request = ?, planning_ms = ?, first_call_ms = ?, input_tokens = ?, output_tokens = ?, cache_hit = ? WHERE id = ?',
        )
        .run(
          planning.request,
          planning.planningMs,
          planning.firstCallMs ?? null,
          planning.inputTokens,
          planning.outputTokens,
          planning.cacheHit ? 1 : 0,
          id,
        ).changes > 0
    );
  }

  /** Marks runs still `running` (the daemon stopped mid-run) and their unfinished tasks `interrupted`; returns how many runs. */
  markInterrupted(now: number = Date.now()): number {
    this.progressWriter.flush();
    return this.db.transaction(() => {
      this.db
        .prepare(
          "UPDATE run_tasks SET status = 'interrupted' WHERE status IN ('queued', 'running') AND run_id IN (SELECT id FROM runs WHERE status = 'running')",
        )
        .run();
      return this.db
        .prepare(
          "UPDATE runs SET status = 'interrupted', ended_at = ?, error = 'the daemon stopped during the run' WHERE status = 'running'",
        )
        .run(Math.trunc(now)).changes;
    })();
  }

  /** The run `id`, if the reader's `scope` lets it see it. */
  get(id: string, scope?: RecordScope): StoredRun | undefined {
    const filters = new Filters().add('id = ?', id);
    applyRunScope(this.db, filters, scope);
    const row = this.db
      .prepare<(string | number)[], RunRow>(`SELECT * FROM runs WHERE ${filters.clauses.join(' AND ')}`)
      .get(...filters.params);
    if (!row) return undefined;
    const tasks = this.db.prepare<[string], TaskRow>('SELECT * FROM run_tasks WHERE run_id = ? ORDER BY idx').all(id);
    return { ...toRun(row), tasks: tasks.map(toTask) };
  }

  /**
   * A page of runs, newest first, each with its tasks counted per status; `nextCursor` is set when
   * older runs may remain. An unreadable cursor throws a `RangeError`.
   */
  page(query: RunQuery = {}): RunPage {
    const limit = query.limit ?? 50;
    const filters = new Filters();
    applyRunScope(this.db, filters, query.scope);
    if (query.status !== undefined) filters.add('status = ?', query.status);
    if (query.before !== undefined) {
      const cursor = decodeCursor(query.before);
      filters.add('(started_at < ? OR (started_at = ? AND id < ?))', cursor.startedAt, cursor.startedAt, cursor.id);
    }
    const where = filters.clauses.length ? `WHERE ${filters.clauses.join(' AND ')}` : '';
    const rows = this.db
      .prepare<(string | number)[], RunRow>(`SELECT * FROM runs ${where} ORDER BY started_at DESC, id DESC LIMIT ?`)
      .all(...filters.params, limit + 1);
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    const counts = new Map<string, Partial<Record<TaskStatus, number>>>();
    if (items.length > 0) {
      const found = this.db
        .prepare<string[], { run_id: string; status: TaskStatus; n: number }>(
          `SELECT run_id, status, COUNT(*) AS n FROM run_tasks WHERE run_id IN (${items.map(() => '?').join(', ')}) GROUP BY run_id, status`,
        )
        .all(...items.map((row) => row.id));
      for (const { run_id, status, n } of found) {
        const entry = counts.get(run_id) ?? {};
        entry[status] = n;
        counts.set(run_id, entry);
      }
    }
    const last = items.at(-1);
    return {
      items: items.map((row) => ({ ...toRun(row), counts: counts.get(row.id) ?? {} })),
      ...(more && last ? { nextCursor: `${last.started_at}.${last.id}` } : {}),
    };
  }

  /** Planned runs the `scope` lets a reader see (started in `[since, until)`), and the model's tokens their planning used. */
  planningTotals(query: { scope?: RecordScope | undefined; since?: number | undefined; until?: number | undefined } = {}): {
    runs: number;
    inputTokens: number;
    outputTokens: number;
  } {
    const filters = new Filters().add('request IS NOT NULL');
    applyRunScope(this.db, filters, query.scope);
    if (query.since !== undefined) filters.add('started_at >= ?', query.since);
    if (query.until !== undefined) filters.add('started_at < ?', query.until);
    const row = this.db
      .prepare<(string | number)[], { runs: number; input: number | null; output: number | null }>(
        `SELECT COUNT(*) AS runs, SUM(input_tokens) AS input, SUM(output_tokens) AS output FROM runs WHERE ${filters.clauses.join(' AND ')}`,
      )
      .get(...filters.params)!;
    return { runs: row.runs, inputTokens: row.input ?? 0, outputTokens: row.output ?? 0 };
  }

  /** Run ids, newest first. */
  list(limit = 50): { id: string; status: RunStatus; startedAt: number }[] {
    return this.db
      .prepare<[number], { id: string; status: RunStatus; started_at: number }>(
        'SELECT id, status, started_at FROM runs ORDER BY started_at DESC, id DESC LIMIT ?',
      )
      .all(limit)
      .map((row) => ({ id: row.id, status: row.status, startedAt: row.started_at }));
  }
}

/**
 * A reader's scope over runs: runs of its keys, and none with a task of a tool it may not see (a
 * task of an unknown tool counts as not visible).
 */
function applyRunScope(db: Database, filters: Filters, scope: RecordScope | undefined): void {
  if (!scope) return;
  applyScope(db, filters, { keyIds: scope.keyIds }, { key: 'created_by_key', server: 'server', tool: 'tool' });
  if (scope.visible === undefined) return;
  registerVisible(db, scope.visible);
  filters.add(
    `NOT EXISTS (SELECT 1 FROM run_tasks t WHERE t.run_id = runs.id AND (t.tool_name IS NULL OR NOT ${VISIBLE_FUNCTION}(t.server, t.tool_name)))`,
  );
}

function decodeCursor(cursor: string): { startedAt: number; id: string } {
  const match = /^(\d+)\.(.+)$/.exec(cursor);
  if (!match) throw new RangeError(`invalid cursor: ${JSON.stringify(cursor)}`);
  return { startedAt: Number(match[1]), id: match[2]! };
}
