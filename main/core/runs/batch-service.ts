/**
 * Batch mode on the MCP endpoints (docs/specification.md §6): the mode switch (`proxy` | `batch`) and the calls of
 * `batch_execute`. A call checks the plan against what the session's key may call, asks approval
 * for tools that change things, runs the plan with each task forwarded to its server as a request
 * of the session, reports progress per finished task, stores the run and answers one compact report.
 * The REST API starts runs here too (`start`: no one to ask, so approval comes from the config only),
 * reads the live state of runs in progress (`live`) and cancels them (`cancel`).
 */
import { randomUUID } from 'node:crypto';
import { Emitter } from '../events/emitter.js';
import type { RequestId } from '../protocol/jsonrpc.js';
import type { AuditEntry } from '../store/audit.repository.js';
import type { RunSource, RunsRepository } from '../store/runs.repository.js';
import type { UpstreamPeer } from '../supervisor/upstream-peer.js';
import { askApproval, needingApproval } from '../batch/approval.js';
import { ArgumentChecker } from '../batch/argument-check.js';
import { BATCH_TOOL_NAME, compactReport, type CompactReport } from '../batch/batch-tool.js';
import { runPlan, type CallTool } from '../batch/executor.js';
import type { LiveRun } from './live-runs.js';
import type { PlanGraph, ToolCatalog } from '../batch/plan-graph.js';
import { checkPlan, formatProblems, type Problem, type ValidationResult } from '../batch/plan-validation.js';
import { callsOf, progressTo, relatedPeer } from '../batch/run-peer.js';
import { runPlanned, type PlannedRunOutcome, type PlannedRunRequest, type PlannedRunValue } from './streamed-plan-run.js';
import type { TaskEvent } from '../batch/run-report.js';
import { RunBooks, type BatchRunEvent, type RunCaller } from './run-books.js';
import type { ToolCaller } from '../batch/tool-caller.js';
import type { BatchSettings } from './run-settings.js';

export type { LiveRun, LiveTask } from './live-runs.js';
export type { BatchRunEvent, RunCaller } from './run-books.js';
export type { PlannedPlan, PlannedRunHooks, PlannedRunOutcome, PlannedRunRequest, PlannedRunValue } from './streamed-plan-run.js';
export type { BatchSettings } from './run-settings.js';

export type OrchMode = 'proxy' | 'batch';

export interface BatchServiceOptions {
  mode: OrchMode;
  /** The settings in force (they change with hot reload). */
  settings: () => BatchSettings;
  /** Where runs are recorded; none in unit tests. */
  runs?: RunsRepository;
  /** A run that could not be recorded; the run itself goes on. */
  onError?: (error: Error) => void;
  /** Where runs made through the `batch_execute` tool are audited; none in unit tests. */
  audit?: (entry: AuditEntry) => void;
}

/** Why a plan was not started: its problems, or the tools that need approval the caller cannot give. */
export type StartRefusal = { kind: 'invalid'; problems: Problem[]; warnings: string[] } | { kind: 'needsApproval'; tools: string[] };

/** What `start` needs: the plan, what the caller may call, who calls. */
export interface RunRequest {
  plan: unknown;
  catalog: ToolCatalog;
  /** Where its tasks are called. */
  tools: ToolCaller;
  /** Tasks go upstream as its requests. */
  peer: UpstreamPeer;
  caller: RunCaller;
  source: RunSource;
}

/** What a session hands over for one `tools/call batch_execute`. */
export interface BatchCall {
  requestId: RequestId;
  /** The plan, untrusted. */
  arguments: unknown;
  /** The tools this session may call, by the names plans use on its endpoint. */
  catalog: ToolCatalog;
  /** Where its tasks are called: the servers of this session. */
  tools: ToolCaller;
  /** The session: tasks go upstream as its requests, approval and progress go back to it. */
  peer: UpstreamPeer;
  /** The client's progress token for the batch request, when it sent one. */
  progressToken?: string | number | undefined;
  /** Aborted when the client cancels the batch request or the session ends. */
  signal: AbortSignal;
  /** The session's key, for the audit log. */
  caller?: RunCaller;
  /** Whether a tool the plan names exists on the endpoint but is outside the key's patterns (a refusal audited as denied). */
  isDenied?: (tool: string) => boolean;
}

type CallToolResult = Record<string, unknown>;

const errorResult = (text: string, structuredContent?: Record<string, unknown>): CallToolResult => ({
  content: [{ type: 'text', text }],
  ...(structuredContent ? { structuredContent } : {}),
  isError: true,
});

export class BatchService {
  private current: OrchMode;
  private readonly checker = new ArgumentChecker();
  private readonly modeEmitter = new Emitter<OrchMode>();
  private readonly runEmitter = new Emitter<BatchRunEvent>();
  private readonly books: RunBooks;

  /** Fires with the new mode when it changes. */
  readonly onDidChangeMode = this.modeEmitter.event;
  /** Fires when a run starts, for each task that starts, retries or ends, and when the run ends. */
  readonly onDidRun = this.runEmitter.event;

  constructor(private readonly options: BatchServiceOptions) {
    this.current = options.mode;
    this.books = new RunBooks({ runs: options.runs, onError: options.onError, fire: (event) => this.runEmitter.fire(event) });
  }

  get mode(): OrchMode {
    return this.current;
  }

  /** Switches the mode; sessions are told their tool list changed (through `onDidChangeMode`). */
  setMode(mode: OrchMode): void {
    if (mode === this.current) return;
    this.current = mode;
    this.modeEmitter.fire(mode);
  }

  /** `orch.batch` in force. */
  get settings(): BatchSettings {
    return this.options.settings();
  }

  /** Whether `batch_execute` is offered now. */
  get active(): boolean {
    return this.current === 'batch';
  }

  /** Runs one `batch_execute` call to its end; answers a `CallToolResult`. Never rejects. */
  async execute(call: BatchCall): Promise<CallToolResult> {
    const caller = call.caller ?? { keyId: call.peer.keyId, keyName: call.peer.keyName };
    // Without an `output`, the answer carries the results of the tasks nothing depends on, as a planned run's does.
    const checked = checkPlan(call.arguments, call.catalog, { checker: this.checker, defaultOutput: 'sinks' });
    if (!checked.ok) {
      const denied = call.isDenied ? deniedTools(call.arguments, checked.problems, call.isDenied) : [];
      this.auditRefusal(caller, denied.length > 0 ? 'denied' : 'error', {
        problems: checked.problems.length,
        ...(denied.length > 0 ? { denied } : {}),
      });
      return errorResult(`${formatProblems(checked.problems)}\nNothing was run.`, {
        problems: checked.problems.map(({ code, message, taskId }) => ({ code, message, ...(taskId ? { taskId } : {}) })),
      });
    }
    const graph = checked.graph;
    for (const task of graph.tasks) task.timeoutMs ??= call.tools.settings(task.target.server)?.timeoutMs;

    const settings = this.options.settings();
    const unapproved = this.needsApproval(graph, call.tools);
    if (unapproved.length > 0) {
      const refusal = await askApproval(unapproved, call.peer, call.requestId, call.signal);
      if (refusal) {
        this.auditRefusal(caller, 'denied', { needsApproval: refusal.needsApproval });
        return errorResult(refusal.text, { needsApproval: refusal.needsApproval });
      }
    }
    if (call.signal.aborted) return errorResult('The batch was cancelled before it started.');

    const { runId, done } = this.begin(graph, call.arguments, settings, checked.warnings, {
      source: 'batch_execute',
      caller,
      sessionId: call.peer.sessionId,
      signal: call.signal,
      callTool: callsOf(call.tools, relatedPeer(call.peer, call.requestId)),
      onTaskEnded: progressTo(call.peer, call.requestId, call.progressToken),
    });
    const compact = await done;
    this.options.audit?.({
      time: Date.now(),
      keyId: caller.keyId,
      keyName: caller.keyName,
      action: BATCH_TOOL_NAME,
      target: runId,
      outcome: compact.status === 'succeeded' ? 'ok' : 'error',
      details: { status: compact.status, tasks: compact.tasks.length },
    });
    return { content: [{ type: 'text', text: JSON.stringify(compact) }], structuredContent: compact };
  }

  /** Records a `batch_execute` call that ran nothing: its plan was invalid, used tools the key may not, or was not approved. */
  private auditRefusal(caller: RunCaller, outcome: 'denied' | 'error', details: Record<string, unknown>): void {
    this.options.audit?.({
      time: Date.now(),
      keyId: caller.keyId,
      keyName: caller.keyName,
      action: BATCH_TOOL_NAME,
      outcome,
      details: { refused: true, ...details },
    });
  }

  /** Checks a plan against `catalog` without running it: the graph, or every problem. */
  check(plan: unknown, catalog: ToolCatalog): ValidationResult {
    return checkPlan(plan, catalog, { checker: this.checker });
  }

  /** The tools of a checked plan that need approval under the settings in force (none with `approveAll`). */
  needsApproval(graph: PlanGraph, tools: Pick<ToolCaller, 'settings'>): string[] {
    return this.options.settings().approveAll ? [] : needingApproval(graph, tools);
  }

  /**
   * Starts a run whose caller cannot be asked for approval (the REST API): a tool that needs it
   * refuses the whole plan. Answers the run id at once; the run goes on in the background.
   */
  start(request: RunRequest): { ok: true; runId: string; warnings: string[] } | { ok: false; refusal: StartRefusal } {
    const checked = this.check(request.plan, request.catalog);
    if (!checked.ok) return { ok: false, refusal: { kind: 'invalid', problems: checked.problems, warnings: checked.warnings } };
    const graph = checked.graph;
    for (const task of graph.tasks) task.timeoutMs ??= request.tools.settings(task.target.server)?.timeoutMs;
    const unapproved = this.needsApproval(graph, request.tools);
    if (unapproved.length > 0) return { ok: false, refusal: { kind: 'needsApproval', tools: unapproved } };
    const { runId } = this.begin(graph, request.plan, this.options.settings(), checked.warnings, {
      source: request.source,
      caller: request.caller,
      sessionId: request.peer.sessionId,
      callTool: callsOf(request.tools, request.peer),
    });
    return { ok: true, runId, warnings: checked.warnings };
  }

  /**
   * Runs a plan that a planner makes while it runs (`PlannedRunRequest.feed`) through the same
   * books as any other run: recorded once the plan is complete, valid and approved, with its
   * planning figures and the progress of the tasks that started before. `planned` settles with the
   * run id then (or undefined when the run ended unrecorded); `done` never rejects.
   */
  stream<T extends PlannedRunValue>(
    request: PlannedRunRequest<T>,
  ): { planned: Promise<string | undefined>; done: Promise<PlannedRunOutcome<T>> } {
    return runPlanned(this.books, this.options.settings(), request);
  }

  /** A run in progress in this daemon, as it stands; undefined once it ended. */
  live(runId: string): LiveRun | undefined {
    return this.books.live(runId);
  }

  /** Cancels a run in progress and waits for its end; false when no such run is in progress. */
  cancel(runId: string, reason = 'the run was cancelled'): Promise<boolean> {
    return this.books.cancel(runId, reason);
  }

  /** Starts a checked plan: records it, runs it, records the outcome; `done` never rejects. */
  private begin(
    graph: PlanGraph,
    plan: unknown,
    settings: BatchSettings,
    warnings: readonly string[],
    context: {
      source: RunSource;
      caller: RunCaller;
      sessionId: string | undefined;
      signal?: AbortSignal;
      callTool: CallTool;
      onTaskEnded?: (event: Extract<TaskEvent, { type: 'ended' }>, finished: number, total: number) => void;
    },
  ): { runId: string; done: Promise<CompactReport> } {
    const runId = randomUUID();
    const tasks = graph.tasks.map((task) => ({ id: task.id, tool: task.tool, server: task.target.server, toolName: task.target.name }));
    const controller = new AbortController();
    const signal = context.signal ? AbortSignal.any([context.signal, controller.signal]) : controller.signal;
    const booked = this.books.open({
      id: runId,
      source: context.source,
      caller: context.caller,
      sessionId: context.sessionId,
      plan,
      tasks,
      controller,
      maxResultChars: settings.maxResultChars,
    });
    let finished = 0;
    const done = runPlan(graph, {
      signal,
      callTool: context.callTool,
      perServerConcurrency: settings.perServerConcurrency,
      onTaskEvent: (event) => {
        booked.taskEvent(event.index, event);
        if (event.type !== 'ended') return;
        finished += 1;
        context.onTaskEnded?.(event, finished, graph.tasks.length);
      },
    }).then((report) => {
      const compact = compactReport(runId, report, settings.maxResultChars, warnings);
      booked.finish(report, compact, settings.maxResultChars);
      return compact;
    });
    return { runId, done };
  }

  dispose(): void {
    this.modeEmitter.dispose();
    this.runEmitter.dispose();
  }
}

/** The tools of a refused plan that `isDenied` says exist but are outside the caller's patterns. */
export function deniedTools(plan: unknown, problems: readonly Problem[], isDenied: (tool: string) => boolean): string[] {
  const tasks = (plan as { tasks?: unknown } | undefined)?.tasks;
  if (!Array.isArray(tasks)) return [];
  const denied = new Set<string>();
  for (const problem of problems) {
    const index = problem.code === 'unknown_tool' ? problem.path?.[1] : undefined;
    const tool = typeof index === 'number' ? (tasks[index] as { tool?: unknown } | undefined)?.tool : undefined;
    if (typeof tool === 'string' && isDenied(tool)) denied.add(tool);
  }
  return [...denied];
}
