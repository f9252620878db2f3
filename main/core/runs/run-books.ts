/**
 * The books of the runs of this daemon. Every run — a plan given to `batch_execute` or the REST
 * API, or a plan the planner streams — is kept the same way: recorded when it starts (its plan, the
 * key that started it, every task queued), as each task starts, retries and ends, and when it ends
 * (every task's outcome, results cut to `maxResultChars`); visible live while it goes; cancellable;
 * and told to the listeners of `onDidRun` (the dashboard's live view, `/api/events`).
 */
import type { RunStatus } from '../../../shared/batch-plan.js';
import type { RunPlanning, RunSource, RunsRepository } from '../store/runs.repository.js';
import type { CompactReport } from '../batch/batch-tool.js';
import { applyEvent, outcomeOf, storedResult, type LiveRun, type LiveTask } from './live-runs.js';
import type { RunReport, TaskEvent } from '../batch/run-report.js';

/** Who makes a run: the key, for the run's `createdBy` and the audit log. */
export interface RunCaller {
  keyId?: string | undefined;
  keyName?: string | undefined;
}

/** A task of a run as it is announced: its name in the plan, its server and its name there. */
export interface RunTask {
  id: string;
  tool: string;
  server: string;
  toolName: string;
}

/** What happens to a run, as it happens (for the dashboard's live view and `/api/events`). */
export type BatchRunEvent =
  | { type: 'started'; runId: string; keyId: string | undefined; createdBy?: string | undefined; tasks: RunTask[]; at: number }
  /** `event.index` is the task's place in the plan. */
  | { type: 'task'; runId: string; keyId: string | undefined; event: TaskEvent }
  | { type: 'ended'; runId: string; keyId: string | undefined; report: CompactReport; at: number };

/** A run to open in the books. */
export interface NewBookedRun {
  id: string;
  source: RunSource;
  caller: RunCaller;
  sessionId: string | undefined;
  /** The plan as given (or as the planner made it). */
  plan: unknown;
  /** In plan order. */
  tasks: RunTask[];
  /** Aborting it cancels the run (`RunBooks.cancel`). */
  controller: AbortController;
  /** How the planner made the plan, for a planned run. */
  planning?: RunPlanning | undefined;
  /** What the runs table keeps of each task's result, stored as the task ends. */
  maxResultChars: number;
}

/** A run in the books, from its start to its end. */
export interface BookedRun {
  readonly id: string;
  /** A task moved on; `index` is its place in the plan (the event's own index may be another order). */
  taskEvent(index: number, event: TaskEvent): void;
  /** Records how the planner made the plan, again once more is known (the time to the first call). */
  planning(planning: RunPlanning): void;
  /** Records the end from the full report (in plan order) and tells the listeners; `error` says why the run failed as a whole. */
  finish(report: RunReport, compact: CompactReport, maxResultChars: number, error?: string): void;
  /** Settles once `finish` was called. */
  readonly done: Promise<void>;
}

interface ActiveRun {
  live: LiveRun & { tasks: LiveTask[]; status: RunStatus };
  controller: AbortController;
  done: Promise<void>;
}

export interface RunBooksOptions {
  /** Where runs are recorded; none in unit tests. */
  runs?: RunsRepository | undefined;
  /** A run that could not be recorded; the run itself goes on. */
  onError?: ((error: Error) => void) | undefined;
  /** Tells the listeners of `onDidRun`. */
  fire: (event: BatchRunEvent) => void;
}

export class RunBooks {
  private readonly inProgress = new Map<string, ActiveRun>();

  constructor(private readonly options: RunBooksOptions) {}

  /** Records a run that starts now, makes it live and tells the listeners. */
  open(run: NewBookedRun): BookedRun {
    const { id, caller } = run;
    const live: ActiveRun['live'] = { id, status: 'running', tasks: run.tasks.map((task) => ({ ...task, status: 'queued', attempts: 0 })) };
    let resolveDone: () => void = () => {};
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    this.inProgress.set(id, { live, controller: run.controller, done });
    this.record(() =>
      this.options.runs?.start({
        id,
        source: run.source,
        plan: run.plan,
        createdBy: caller.keyName,
        createdByKey: caller.keyId,
        sessionId: run.sessionId,
        startedAt: Date.now(),
        tasks: run.tasks,
      }),
    );
    const planning = run.planning;
    if (planning) this.record(() => this.options.runs?.recordPlanning(id, planning));
    const keyId = caller.keyId;
    this.options.fire({ type: 'started', runId: id, keyId, createdBy: caller.keyName, tasks: run.tasks, at: Date.now() });
    let finished = false;
    return {
      id,
      done,
      taskEvent: (index, event) => {
        const task = live.tasks[index];
        if (!task || finished) return;
        applyEvent(task, event);
        // A task's result is stored as it ends (cut), so that it survives a daemon killed before the run ends.
        const ended = event.type === 'ended' ? storedResult(event.result, run.maxResultChars) : undefined;
        this.record(() => this.options.runs?.progress(id, index, { ...task, ...ended }));
        this.options.fire({ type: 'task', runId: id, keyId, event: shown(event, index) });
      },
      planning: (figures) => this.record(() => this.options.runs?.recordPlanning(id, figures)),
      finish: (report, compact, maxResultChars, error) => {
        if (finished) return;
        finished = true;
        live.status = report.status;
        this.record(() => this.options.runs?.finish(id, outcomeOf(report, maxResultChars, error)));
        this.inProgress.delete(id);
        this.options.fire({ type: 'ended', runId: id, keyId, report: compact, at: Date.now() });
        resolveDone();
      },
    };
  }

  /** A run in progress in this daemon, as it stands; undefined once it ended. */
  live(runId: string): LiveRun | undefined {
    return this.inProgress.get(runId)?.live;
  }

  /** Cancels a run in progress and waits for its end; false when no such run is in progress. */
  async cancel(runId: string, reason: string): Promise<boolean> {
    const run = this.inProgress.get(runId);
    if (!run) return false;
    run.controller.abort(new Error(reason));
    await run.done;
    return true;
  }

  private record(write: () => unknown): void {
    try {
      write();
    } catch (error) {
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

/** An event as the listeners get it: at its place in the plan, without the result (the run's report carries results). */
function shown(event: TaskEvent, index: number): TaskEvent {
  if (event.type !== 'ended' || event.result === undefined) return event.index === index ? event : { ...event, index };
  const { result: _result, ...rest } = event;
  return { ...rest, index };
}
