/**
 * Runs a validated plan (docs/specification.md §6). A task starts as soon as all its dependencies succeeded — a
 * ready queue, not waves — within the global and per-server limits. Each attempt has its own
 * timeout; read-only and idempotent tools are retried with exponential backoff, releasing their slot
 * while they wait. A failed task skips its dependents (`continue`) or stops the run (`stop`: running
 * tasks are cancelled, the rest skipped). Aborting `signal` cancels everything. Bookkeeping is
 * O(n + e): counters of unfinished dependencies, no scans per event.
 */
import type { TaskStatus } from '../../../shared/batch-plan.js';
import type { GraphTask, PlanGraph } from './plan-graph.js';
import { ReadyQueue } from './ready-queue.js';
import { resultText, substitute, type ToolResult } from './references.js';
import type { RunReport, TaskError, TaskEvent, TaskReport } from './run-report.js';
import type { OnError } from './types.js';

/** Calls one tool; must honour `signal` (timeout, stop, cancellation). */
export type CallTool = (task: GraphTask, args: Record<string, unknown>, signal: AbortSignal) => Promise<ToolResult>;

export interface RunOptions {
  callTool: CallTool;
  /** Most tasks running at once; defaults to the plan's `maxConcurrency`. */
  maxConcurrency?: number;
  /** Most tasks of one server running at once: a number for all, or per server; unlimited by default. */
  perServerConcurrency?: number | ((server: string) => number | undefined);
  /** Defaults to the plan's `onError`. */
  onError?: OnError;
  /** Aborting it cancels the run. */
  signal?: AbortSignal;
  /** Per-attempt timeout of tasks that set none; none by default. */
  defaultTimeoutMs?: number;
  /** Delay before retry n (1-based): `min(maxMs, baseMs · 2^(n-1))`; defaults 250 ms and 10 s. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** The clock for reported times, epoch milliseconds. */
  now?: () => number;
  /** Told of every start, retry and end; must not throw. */
  onTaskEvent?: (event: TaskEvent) => void;
}

/** Runs a plan to the end and reports every task. Never rejects. */
export function runPlan(graph: PlanGraph, options: RunOptions): Promise<RunReport> {
  return new Run(graph, options).start();
}

interface EndDetails {
  result?: ToolResult;
  error?: TaskError;
  reason?: string;
}

const defaultNow = (): number => performance.timeOrigin + performance.now();

class Run {
  private readonly tasks: readonly GraphTask[];
  private readonly status: TaskStatus[];
  private readonly waitingFor: Int32Array;
  private readonly attempts: Int32Array;
  private readonly startedAt: Float64Array;
  private readonly endedAt: Float64Array;
  private readonly args: (Record<string, unknown> | undefined)[];
  private readonly results: (ToolResult | undefined)[];
  private readonly errors: (TaskError | undefined)[];
  private readonly reasons: (string | undefined)[];
  /** Abort controller and timeout timer of each attempt in flight. */
  private readonly inFlight = new Map<number, { controller: AbortController; timer: ReturnType<typeof setTimeout> | undefined }>();
  private readonly backingOff = new Map<number, ReturnType<typeof setTimeout>>();
  private readonly ready: ReadyQueue;
  private readonly maxConcurrency: number;
  private readonly onError: OnError;
  private readonly now: () => number;
  private running = 0;
  private ended = 0;
  private halted: 'stopped' | 'cancelled' | undefined;
  private done = false;
  private indexOf: Map<string, number> | undefined;
  private runStartedAt = 0;
  private resolve: (report: RunReport) => void = () => {};
  private readonly onAbort = (): void => this.halt('cancelled', 'the run was cancelled');

  constructor(
    graph: PlanGraph,
    private readonly options: RunOptions,
  ) {
    const count = graph.tasks.length;
    this.tasks = graph.tasks;
    this.status = new Array<TaskStatus>(count).fill('queued');
    this.waitingFor = Int32Array.from(graph.tasks, (task) => task.dependencies.length);
    this.attempts = new Int32Array(count);
    this.startedAt = new Float64Array(count).fill(Number.NaN);
    this.endedAt = new Float64Array(count).fill(Number.NaN);
    this.args = new Array<Record<string, unknown> | undefined>(count);
    this.results = new Array<ToolResult | undefined>(count);
    this.errors = new Array<TaskError | undefined>(count);
    this.reasons = new Array<string | undefined>(count);
    this.maxConcurrency = Math.max(1, options.maxConcurrency ?? graph.maxConcurrency);
    this.onError = options.onError ?? graph.onError;
    this.now = options.now ?? defaultNow;
    const perServer = options.perServerConcurrency;
    this.ready = new ReadyQueue((server) => (typeof perServer === 'function' ? perServer(server) : perServer) ?? Number.POSITIVE_INFINITY);
  }

  start(): Promise<RunReport> {
    const done = new Promise<RunReport>((resolve) => (this.resolve = resolve));
    this.runStartedAt = this.now();
    const signal = this.options.signal;
    if (signal?.aborted) {
      this.halt('cancelled', 'the run was cancelled');
    } else {
      signal?.addEventListener('abort', this.onAbort, { once: true });
      for (const task of this.tasks) if (task.dependencies.length === 0) this.makeReady(task.index);
      this.pump();
    }
    this.finishIfDone();
    return done;
  }

  /** All dependencies succeeded: fill in the references and queue the task. */
  private makeReady(index: number): void {
    const task = this.tasks[index]!;
    if (task.templates.length === 0) {
      this.args[index] = task.arguments;
    } else {
      const filled = substitute(task.arguments, task.templates, (id) => this.resultOf(id));
      if (!filled.ok) return this.finish(index, 'failed', { error: { code: 'reference', message: filled.message } });
      this.args[index] = filled.value;
    }
    this.ready.push(index, task.target.server);
  }

  private resultOf(id: string): ToolResult | undefined {
    this.indexOf ??= new Map(this.tasks.map((task) => [task.id, task.index]));
    const index = this.indexOf.get(id);
    return index === undefined ? undefined : this.results[index];
  }

  /** Starts ready tasks while slots are free. */
  private pump(): void {
    while (!this.halted && this.running < this.maxConcurrency) {
      const next = this.ready.take();
      if (!next) return;
      this.running += 1;
      this.attempt(next.task);
    }
  }

  private attempt(index: number): void {
    const task = this.tasks[index]!;
    const attempt = this.attempts[index]! + 1;
    this.attempts[index] = attempt;
    const at = this.now();
    if (attempt === 1) this.startedAt[index] = at;
    this.status[index] = 'running';
    const controller = new AbortController();
    const timeoutMs = task.timeoutMs ?? this.options.defaultTimeoutMs;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            const message = `no answer within ${timeoutMs} ms`;
            controller.abort(new Error(message));
            this.settle(index, attempt, { error: { code: 'timeout', message } });
          }, timeoutMs);
    this.inFlight.set(index, { controller, timer });
    this.emit({ type: 'started', index, id: task.id, attempt, at });
    let call: Promise<ToolResult>;
    try {
      call = Promise.resolve(this.options.callTool(task, this.args[index]!, controller.signal));
    } catch (error) {
      call = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    call.then(
      (result) => this.settle(index, attempt, { result }),
      (error: unknown) => this.settle(index, attempt, { error: { code: 'call_failed', message: messageOf(error) } }),
    );
  }

  /** An attempt ended; ignored when the attempt was already settled (timeout, stop, cancel). */
  private settle(index: number, attempt: number, outcome: { result?: ToolResult; error?: TaskError }): void {
    const flight = this.inFlight.get(index);
    if (!flight || this.attempts[index] !== attempt || this.status[index] !== 'running') return;
    this.inFlight.delete(index);
    clearTimeout(flight.timer);
    this.running -= 1;
    this.ready.release(this.tasks[index]!.target.server);
    const { result } = outcome;
    const error = outcome.error ?? toolError(result);
    if (!error) {
      this.finish(index, 'succeeded', { result });
    } else if (attempt <= this.tasks[index]!.retries && !this.halted) {
      this.retryLater(index, attempt, error);
    } else {
      this.finish(index, 'failed', { error, result });
    }
    this.pump();
  }

  private retryLater(index: number, attempt: number, error: TaskError): void {
    const backoff = this.options.backoff ?? {};
    const delayMs = Math.min(backoff.maxMs ?? 10_000, (backoff.baseMs ?? 250) * 2 ** (attempt - 1));
    this.emit({ type: 'retrying', index, id: this.tasks[index]!.id, attempt, error, delayMs, at: this.now() });
    this.errors[index] = error;
    this.backingOff.set(
      index,
      setTimeout(() => {
        this.backingOff.delete(index);
        this.ready.push(index, this.tasks[index]!.target.server);
        this.pump();
      }, delayMs),
    );
  }

  /** Ends a task and moves on: its dependents get ready, are skipped, or the run stops. */
  private finish(index: number, status: TaskStatus, details: EndDetails = {}): void {
    this.record(index, status, details);
    const task = this.tasks[index]!;
    if (this.halted) {
      // halt() ends the rest itself.
    } else if (status === 'succeeded') {
      for (const dependent of task.dependents) {
        this.waitingFor[dependent] = this.waitingFor[dependent]! - 1;
        if (this.waitingFor[dependent] === 0 && this.status[dependent] === 'queued') this.makeReady(dependent);
      }
    } else if (status === 'failed' && this.onError === 'stop') {
      this.halt('stopped', `the run stopped after task "${task.id}" failed`);
    } else if (status === 'failed') {
      this.skipDependents(index);
    }
    this.finishIfDone();
  }

  /** Sets a task's final state and tells the listener. */
  private record(index: number, status: TaskStatus, details: EndDetails): void {
    this.status[index] = status;
    this.endedAt[index] = this.now();
    this.results[index] = details.result;
    this.errors[index] = details.error;
    this.reasons[index] = details.reason;
    this.ended += 1;
    const id = this.tasks[index]!.id;
    this.emit({ type: 'ended', index, id, status, at: this.endedAt[index], ...definedOnly(details.error, details.reason) });
  }

  /** Skips every task that waits on `failed`, transitively, without recursion; each is visited once. */
  private skipDependents(failed: number): void {
    const stack = [failed];
    for (let index = stack.pop(); index !== undefined; index = stack.pop()) {
      const reason = `dependency "${this.tasks[index]!.id}" ${index === failed ? 'failed' : 'was skipped'}`;
      for (const dependent of this.tasks[index]!.dependents) {
        if (this.status[dependent] !== 'queued') continue;
        this.record(dependent, 'skipped', { reason });
        stack.push(dependent);
      }
    }
  }

  /** Stop or cancel: running attempts are aborted and cancelled, the others skipped or cancelled. */
  private halt(kind: 'stopped' | 'cancelled', reason: string): void {
    if (this.halted) return;
    this.halted = kind;
    for (const [index, flight] of [...this.inFlight]) {
      this.inFlight.delete(index);
      clearTimeout(flight.timer);
      flight.controller.abort(new Error(reason));
      this.running -= 1;
      this.ready.release(this.tasks[index]!.target.server);
      this.finish(index, 'cancelled', { reason });
    }
    for (const [index, timer] of [...this.backingOff]) {
      clearTimeout(timer);
      this.backingOff.delete(index);
      this.finish(index, 'cancelled', { reason, ...(this.errors[index] ? { error: this.errors[index] } : {}) });
    }
    const rest: TaskStatus = kind === 'stopped' ? 'skipped' : 'cancelled';
    this.status.forEach((status, index) => {
      if (status === 'queued' || status === 'running') this.finish(index, rest, { reason });
    });
  }

  private finishIfDone(): void {
    if (this.done || this.ended !== this.tasks.length) return;
    this.done = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.resolve(this.report());
  }

  private report(): RunReport {
    const endedAt = this.now();
    const tasks = this.tasks.map((task, index): TaskReport => this.taskReport(task, index));
    const taskTimeMs = tasks.reduce((sum, task) => sum + (task.durationMs ?? 0), 0);
    const wallTimeMs = endedAt - this.runStartedAt;
    const status = this.halted === 'cancelled' ? 'cancelled' : tasks.every((task) => task.status === 'succeeded') ? 'succeeded' : 'failed';
    return { status, startedAt: this.runStartedAt, endedAt, wallTimeMs, taskTimeMs, speedup: wallTimeMs > 0 && taskTimeMs > 0 ? taskTimeMs / wallTimeMs : 1, tasks };
  }

  private taskReport(task: GraphTask, index: number): TaskReport {
    const report: TaskReport = { id: task.id, tool: task.tool, server: task.target.server, status: this.status[index]!, attempts: this.attempts[index]! };
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

  private emit(event: TaskEvent): void {
    this.options.onTaskEvent?.(event);
  }
}

function toolError(result: ToolResult | undefined): TaskError | undefined {
  if (result === null || typeof result !== 'object') return { code: 'call_failed', message: 'the call returned no result' };
  if (result.isError !== true) return undefined;
  return { code: 'tool_error', message: resultText(result).slice(0, 500) || 'the tool reported an error' };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function definedOnly(error: TaskError | undefined, reason: string | undefined): { error?: TaskError; reason?: string } {
  return { ...(error ? { error } : {}), ...(reason ? { reason } : {}) };
}
