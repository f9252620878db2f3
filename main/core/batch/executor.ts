/**
 * Runs a validated plan (docs/specification.md §6). A task starts as soon as all its dependencies succeeded — a
 * ready queue, not waves — within the global and per-server limits. Each attempt has its own
 * timeout; read-only and idempotent tools are retried with exponential backoff, releasing their slot
 * while they wait. A failed task skips its dependents (`continue`) or stops the run (`stop`: running
 * tasks are cancelled, the rest skipped). Aborting `signal` cancels everything. Bookkeeping is
 * O(n + e): counters of unfinished dependencies, no scans per event.
 *
 * A run is either closed from the start (`runPlan`, a validated plan) or open (`openRun`): tasks
 * arrive one by one, as a planner streams them, each naming its dependencies by id — some maybe not
 * added yet, so the task waits — until the run is closed or cancelled.
 */
import { DEFAULT_MAX_CONCURRENCY, type TaskStatus } from '../../../shared/batch-plan.js';
import type { OpenRun, OpenTask } from './open-run.js';
import type { GraphTask, PlanGraph } from './plan-graph.js';
import { ReadyQueue } from './ready-queue.js';
import { resultText, substitute, type ToolResult } from './references.js';
import type { RunReport, TaskError, TaskEvent } from './run-report.js';
import { TaskTable } from './task-table.js';
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
  /** Per-attempt timeout of a server's tasks that set none (its configured `timeout`); before `defaultTimeoutMs`. */
  timeoutOf?: (server: string) => number | undefined;
  /** Delay before retry n (1-based): `min(maxMs, baseMs · 2^(n-1))`; defaults 250 ms and 10 s. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** The clock for reported times, epoch milliseconds. */
  now?: () => number;
  /** Told of every start, retry and end; must not throw. */
  onTaskEvent?: (event: TaskEvent) => void;
}

/** Runs a plan to the end and reports every task. Never rejects. */
export function runPlan(graph: PlanGraph, options: RunOptions): Promise<RunReport> {
  return new Run(graph, options, true).start();
}

/** Starts an empty run that tasks join as they come; `maxConcurrency` and `onError` come from `options` (defaults 32, `continue`). */
export function openRun(options: RunOptions): OpenRun {
  const run = new Run(
    { tasks: [], maxConcurrency: options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY, onError: options.onError ?? 'continue' },
    options,
    false,
  );
  const done = run.start();
  return {
    add: (task) => run.add(task),
    close: (output) => run.close(output),
    cancel: (reason) => run.cancel(reason),
    get size() {
      return run.size;
    },
    done,
  };
}

interface EndDetails {
  result?: ToolResult;
  error?: TaskError;
  reason?: string;
}

const defaultNow = (): number => performance.timeOrigin + performance.now();

class Run {
  private readonly tasks: GraphTask[];
  private readonly state: TaskTable;
  private readonly waitingFor: number[];
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
  /** Open runs: tasks waiting for an id not added yet, by that id. */
  private readonly waitingForId = new Map<string, number[]>();
  private output: string[] | undefined;
  private runStartedAt = 0;
  private resolve: (report: RunReport) => void = () => {};
  private readonly onAbort = (): void => this.halt('cancelled', 'the run was cancelled');

  constructor(
    graph: PlanGraph,
    private readonly options: RunOptions,
    private closed: boolean,
  ) {
    const count = graph.tasks.length;
    this.tasks = [...graph.tasks];
    this.state = new TaskTable(count);
    this.waitingFor = graph.tasks.map((task) => task.dependencies.length);
    if (graph.output) this.output = graph.output.map((index) => graph.tasks[index]!.id);
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

  get size(): number {
    return this.tasks.length;
  }

  add(open: OpenTask): boolean {
    if (this.closed || this.halted) return false;
    this.indexOf ??= new Map(this.tasks.map((task) => [task.id, task.index]));
    if (this.indexOf.has(open.id)) throw new Error(`task "${open.id}" was already added`);
    const index = this.tasks.length;
    const { dependsOn, ...fields } = open;
    const task: GraphTask = { ...fields, index, dependencies: [], dependents: [] };
    this.tasks.push(task);
    this.state.push();
    this.indexOf.set(open.id, index);
    // Tasks that named this id before it came wait for it by index now; their counters already include it.
    for (const waiter of this.waitingForId.get(open.id) ?? []) {
      task.dependents.push(waiter);
      this.tasks[waiter]!.dependencies.push(index);
    }
    this.waitingForId.delete(open.id);
    let waiting = 0;
    let blockedBy: string | undefined;
    for (const id of new Set(dependsOn)) {
      const dependency = this.indexOf.get(id);
      if (dependency === undefined) {
        const waiters = this.waitingForId.get(id);
        if (waiters) waiters.push(index);
        else this.waitingForId.set(id, [index]);
        waiting += 1;
        continue;
      }
      task.dependencies.push(dependency);
      this.tasks[dependency]!.dependents.push(index);
      const status = this.state.status[dependency]!;
      if (status === 'queued' || status === 'running') waiting += 1;
      else if (status !== 'succeeded') blockedBy ??= `dependency "${id}" ${status === 'failed' ? 'failed' : 'was skipped'}`;
    }
    this.waitingFor.push(waiting);
    if (blockedBy !== undefined) {
      this.record(index, 'skipped', { reason: blockedBy });
      this.skipDependents(index);
    } else if (waiting === 0) {
      this.makeReady(index);
      this.pump();
    }
    return true;
  }

  close(output?: readonly string[]): void {
    if (this.closed) return;
    this.closed = true;
    if (output) this.output = [...output];
    for (const [id, waiters] of this.waitingForId) {
      for (const index of waiters) {
        if (this.state.status[index] !== 'queued') continue;
        this.record(index, 'skipped', { reason: `dependency "${id}" is not a task` });
        this.skipDependents(index);
      }
    }
    this.waitingForId.clear();
    this.finishIfDone();
  }

  cancel(reason: string): void {
    this.halt('cancelled', reason);
    this.finishIfDone();
  }

  /** All dependencies succeeded: fill in the references and queue the task. */
  private makeReady(index: number): void {
    const task = this.tasks[index]!;
    if (task.templates.length === 0) {
      this.state.args[index] = task.arguments;
    } else {
      const filled = substitute(task.arguments, task.templates, (id) => this.resultOf(id));
      if (!filled.ok) return this.finish(index, 'failed', { error: { code: 'reference', message: filled.message } });
      this.state.args[index] = filled.value;
    }
    this.ready.push(index, task.target.server);
  }

  private resultOf(id: string): ToolResult | undefined {
    this.indexOf ??= new Map(this.tasks.map((task) => [task.id, task.index]));
    const index = this.indexOf.get(id);
    return index === undefined ? undefined : this.state.results[index];
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
    const attempt = this.state.attempts[index]! + 1;
    this.state.attempts[index] = attempt;
    const at = this.now();
    if (attempt === 1) this.state.startedAt[index] = at;
    this.state.status[index] = 'running';
    const controller = new AbortController();
    const timeoutMs = task.timeoutMs ?? this.options.timeoutOf?.(task.target.server) ?? this.options.defaultTimeoutMs;
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
      call = Promise.resolve(this.options.callTool(task, this.state.args[index]!, controller.signal));
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
    if (!flight || this.state.attempts[index] !== attempt || this.state.status[index] !== 'running') return;
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
    this.state.errors[index] = error;
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
        if (this.waitingFor[dependent] === 0 && this.state.status[dependent] === 'queued') this.makeReady(dependent);
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
    this.state.status[index] = status;
    this.state.endedAt[index] = this.now();
    this.state.results[index] = details.result;
    this.state.errors[index] = details.error;
    this.state.reasons[index] = details.reason;
    this.ended += 1;
    const id = this.tasks[index]!.id;
    this.emit({
      type: 'ended',
      index,
      id,
      status,
      at: this.state.endedAt[index],
      ...definedOnly(details.error, details.reason),
      ...(details.result ? { result: details.result } : {}),
    });
  }

  /** Skips every task that waits on `root` (failed or skipped), transitively, without recursion; each is visited once. */
  private skipDependents(root: number): void {
    const stack = [root];
    for (let index = stack.pop(); index !== undefined; index = stack.pop()) {
      const reason = `dependency "${this.tasks[index]!.id}" ${index === root && this.state.status[root] === 'failed' ? 'failed' : 'was skipped'}`;
      for (const dependent of this.tasks[index]!.dependents) {
        if (this.state.status[dependent] !== 'queued') continue;
        this.record(dependent, 'skipped', { reason });
        stack.push(dependent);
      }
    }
  }

  /** Stop or cancel: running attempts are aborted and cancelled, the others skipped or cancelled. */
  private halt(kind: 'stopped' | 'cancelled', reason: string): void {
    if (this.halted) return;
    this.halted = kind;
    // A halted run takes no more tasks: it ends with the ones it has.
    this.closed = true;
    this.waitingForId.clear();
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
      this.finish(index, 'cancelled', { reason, ...(this.state.errors[index] ? { error: this.state.errors[index] } : {}) });
    }
    const rest: TaskStatus = kind === 'stopped' ? 'skipped' : 'cancelled';
    this.state.status.forEach((status, index) => {
      if (status === 'queued' || status === 'running') this.finish(index, rest, { reason });
    });
  }

  private finishIfDone(): void {
    if (this.done || !this.closed || this.ended !== this.tasks.length) return;
    this.done = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.resolve(
      this.state.runReport(this.tasks, { startedAt: this.runStartedAt, endedAt: this.now() }, this.halted === 'cancelled', this.output),
    );
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
