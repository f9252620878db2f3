/**
 * Batch mode on the MCP endpoints (SPEC §6): the mode switch (`proxy` | `batch`) and the calls of
 * `batch_execute`. A call checks the plan against what the session's key may call, asks approval
 * for tools that change things, runs the plan with each task forwarded to its server as a request
 * of the session, reports progress per finished task, stores the run and answers one compact report.
 */
import { randomUUID } from 'node:crypto';
import { Emitter } from '../events/emitter.js';
import type { RequestId, RpcNotification } from '../protocol/jsonrpc.js';
import type { RunsRepository } from '../store/runs.repository.js';
import type { ServerSupervisor } from '../supervisor/server-supervisor.js';
import type { UpstreamPeer } from '../supervisor/upstream-peer.js';
import { ArgumentChecker } from './argument-check.js';
import { compactReport, type CompactReport } from './batch-tool.js';
import { runPlan } from './executor.js';
import type { GraphTask, PlanGraph, ToolCatalog } from './plan-graph.js';
import { checkPlan, formatProblems } from './plan-validation.js';
import type { ToolResult } from './references.js';
import type { RunReport, TaskEvent } from './run-report.js';

export type OrchMode = 'proxy' | 'batch';

/** `orch.batch` as resolved from the config. */
export interface BatchSettings {
  approveAll: boolean;
  maxResultChars: number;
}

export interface BatchServiceOptions {
  mode: OrchMode;
  /** The settings in force (they change with hot reload). */
  settings: () => BatchSettings;
  /** Where runs are recorded; none in unit tests. */
  runs?: RunsRepository;
  /** A run that could not be recorded; the run itself goes on. */
  onError?: (error: Error) => void;
}

/** What a session hands over for one `tools/call batch_execute`. */
export interface BatchCall {
  requestId: RequestId;
  /** The plan, untrusted. */
  arguments: unknown;
  /** The tools this session may call, by the names plans use on its endpoint. */
  catalog: ToolCatalog;
  /** The supervisor that runs a server for this session. */
  serverFor(name: string): ServerSupervisor | undefined;
  /** The session: tasks go upstream as its requests, approval and progress go back to it. */
  peer: UpstreamPeer;
  /** The client's progress token for the batch request, when it sent one. */
  progressToken?: string | number | undefined;
  /** Aborted when the client cancels the batch request or the session ends. */
  signal: AbortSignal;
}

type CallToolResult = Record<string, unknown>;

/** What happens to a run, as it happens (for the dashboard's live view and `/api/events`). */
export type BatchRunEvent =
  | { type: 'started'; runId: string; createdBy?: string | undefined; tasks: { id: string; tool: string; server: string }[]; at: number }
  | { type: 'task'; runId: string; event: TaskEvent }
  | { type: 'ended'; runId: string; report: CompactReport; at: number };

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
  private nextCallId = 1;

  /** Fires with the new mode when it changes. */
  readonly onDidChangeMode = this.modeEmitter.event;
  /** Fires when a run starts, for each task that starts, retries or ends, and when the run ends. */
  readonly onDidRun = this.runEmitter.event;

  constructor(private readonly options: BatchServiceOptions) {
    this.current = options.mode;
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

  /** Whether `batch_execute` is offered now. */
  get active(): boolean {
    return this.current === 'batch';
  }

  /** Runs one `batch_execute` call to its end; answers a `CallToolResult`. Never rejects. */
  async execute(call: BatchCall): Promise<CallToolResult> {
    const checked = checkPlan(call.arguments, call.catalog, { checker: this.checker });
    if (!checked.ok) {
      return errorResult(`${formatProblems(checked.problems)}\nNothing was run.`, {
        problems: checked.problems.map(({ code, message, taskId }) => ({ code, message, ...(taskId ? { taskId } : {}) })),
      });
    }
    const graph = checked.graph;
    for (const task of graph.tasks) task.timeoutMs ??= call.serverFor(task.target.server)?.config.timeoutMs;

    const settings = this.options.settings();
    const unapproved = settings.approveAll ? [] : this.needingApproval(graph, call);
    if (unapproved.length > 0) {
      const refusal = await this.approve(unapproved, call);
      if (refusal) return refusal;
    }
    if (call.signal.aborted) return errorResult('The batch was cancelled before it started.');

    const runId = randomUUID();
    const tasks = graph.tasks.map((task) => ({ id: task.id, tool: task.tool, server: task.target.server }));
    this.runEmitter.fire({ type: 'started', runId, createdBy: call.peer.keyName, tasks, at: Date.now() });
    this.record(() =>
      this.options.runs?.start({
        id: runId,
        source: 'batch_execute',
        plan: call.arguments,
        createdBy: call.peer.keyName,
        sessionId: call.peer.sessionId,
        startedAt: Date.now(),
        tasks,
      }),
    );
    const report = await this.run(graph, call, runId);
    const compact = compactReport(runId, report, settings.maxResultChars, checked.warnings);
    this.record(() => this.options.runs?.finish(runId, outcomeOf(report, compact)));
    this.runEmitter.fire({ type: 'ended', runId, report: compact, at: Date.now() });
    return { content: [{ type: 'text', text: JSON.stringify(compact) }], structuredContent: compact };
  }

  dispose(): void {
    this.modeEmitter.dispose();
    this.runEmitter.dispose();
  }

  private run(graph: PlanGraph, call: BatchCall, runId: string): Promise<RunReport> {
    let finished = 0;
    const total = graph.tasks.length;
    const peer = relatedPeer(call.peer, call.requestId);
    return runPlan(graph, {
      signal: call.signal,
      callTool: (task, args, signal) => this.callTool(task, args, signal, call, peer),
      onTaskEvent: (event) => {
        this.runEmitter.fire({ type: 'task', runId, event });
        if (event.type !== 'ended' || call.progressToken === undefined) return;
        finished += 1;
        const progress: RpcNotification = {
          jsonrpc: '2.0',
          method: 'notifications/progress',
          params: { progressToken: call.progressToken, progress: finished, total, message: `${event.id} ${event.status}` },
        };
        call.peer.deliverNotification(progress, call.requestId);
      },
    });
  }

  /** Forwards one task to its server as a request of the session; aborting `signal` cancels it upstream. */
  private async callTool(task: GraphTask, args: Record<string, unknown>, signal: AbortSignal, call: BatchCall, peer: UpstreamPeer): Promise<ToolResult> {
    const server = call.serverFor(task.target.server);
    if (!server) throw new Error(`server "${task.target.server}" is not configured any more`);
    const id = `batch-${this.nextCallId++}`;
    const cancel = (): void => server.cancel(peer, id, signal.reason instanceof Error ? signal.reason.message : 'cancelled');
    signal.addEventListener('abort', cancel, { once: true });
    try {
      const response = await server.forward({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: task.target.name, arguments: args } }, peer);
      if (!response) throw new Error('the call was cancelled');
      if ('error' in response) throw new Error(response.error.message);
      return response.result;
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  }

  /** The plan's tools (as named in it) that are neither read-only nor in their server's `autoApprove`. */
  private needingApproval(graph: PlanGraph, call: BatchCall): string[] {
    const names = new Set<string>();
    for (const task of graph.tasks) {
      if (task.target.annotations?.readOnlyHint === true) continue;
      if (call.serverFor(task.target.server)?.config.autoApprove.includes(task.target.name)) continue;
      names.add(task.tool);
    }
    return [...names];
  }

  /** Asks the client to approve `tools` (MCP elicitation); answers the refusal, or undefined when approved. */
  private async approve(tools: string[], call: BatchCall): Promise<CallToolResult | undefined> {
    const list = tools.join(', ');
    if (call.peer.clientCapabilities?.elicitation === undefined) {
      return errorResult(
        `The batch was not run: these tools need approval and this client cannot ask for it (it does not support MCP elicitation): ${list}. ` +
          'Add them to the server\'s "autoApprove", or set "orch.batch.approveAll".',
        { needsApproval: tools },
      );
    }
    const reply = await call.peer.askClient(
      {
        jsonrpc: '2.0',
        id: 0,
        method: 'elicitation/create',
        params: {
          message: `A batch of tool calls wants to run tools that may change things: ${list}. Run the batch?`,
          requestedSchema: {
            type: 'object',
            properties: { approve: { type: 'boolean', title: 'Run the batch', description: `Allow ${list}` } },
            required: ['approve'],
          },
        },
      },
      call.requestId,
      call.signal,
    );
    const result = 'result' in reply ? reply.result : undefined;
    const content = result?.content as Record<string, unknown> | undefined;
    if (result?.action === 'accept' && content?.approve === true) return undefined;
    const why = 'error' in reply ? `approval failed: ${reply.error.message}` : 'approval was declined';
    return errorResult(`The batch was not run: ${why} (tools: ${list}).`, { needsApproval: tools });
  }

  private record(write: () => void): void {
    try {
      write();
    } catch (error) {
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

/** The session as the peer of a batch's calls: what the servers send during them belongs to the batch request. */
function relatedPeer(session: UpstreamPeer, requestId: RequestId): UpstreamPeer {
  return {
    get sessionId() {
      return session.sessionId;
    },
    get clientName() {
      return session.clientName;
    },
    get keyName() {
      return session.keyName;
    },
    get clientCapabilities() {
      return session.clientCapabilities;
    },
    deliverNotification: (notification) => session.deliverNotification(notification, requestId),
    askClient: (request, _related, signal) => session.askClient(request, requestId, signal),
  };
}

function outcomeOf(report: RunReport, compact: CompactReport): Parameters<RunsRepository['finish']>[1] {
  return {
    status: report.status,
    endedAt: report.endedAt,
    wallMs: report.wallTimeMs,
    sumTaskMs: report.taskTimeMs,
    speedup: report.speedup,
    tasks: report.tasks.map((task, index) => {
      const short = compact.tasks[index]!;
      const result =
        short.text !== undefined || short.structuredContent !== undefined
          ? { ...(short.text !== undefined ? { text: short.text } : {}), ...(short.structuredContent !== undefined ? { structuredContent: short.structuredContent } : {}), ...(short.isError ? { isError: true } : {}) }
          : undefined;
      return {
        status: task.status,
        attempts: task.attempts,
        startedAt: task.startedAt,
        endedAt: task.endedAt,
        durationMs: task.durationMs,
        result,
        truncated: short.truncated === true,
        error: task.error,
        reason: task.reason,
      };
    }),
  };
}
