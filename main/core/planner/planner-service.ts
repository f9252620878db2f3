/**
 * The planner as the daemon offers it. The `Planner` is built from `orch.planner` on first use —
 * so a missing key is an error of that use, naming what to set, not of the daemon's start — and
 * again after the setting changes (`reset`). Runs go through the batch service's books
 * (`BatchService.stream`): a planned run is recorded with its plan, its key and how it was
 * planned, is live while it goes, can be cancelled, and is audited, like any other run. The
 * surfaces: `execute` serves the `plan_and_execute` MCP tool; the REST operations call `start`
 * and `plan`.
 */
import { z } from 'zod';
import type { PlannerConfig } from '../../../shared/config.js';
import type { BatchService, PlannedRunOutcome, PlannedRunValue, RunCaller } from '../runs/batch-service.js';
import type { PlannedRunRequest } from '../runs/streamed-plan-run.js';
import { progressTo } from '../batch/run-peer.js';
import type { ToolCaller } from '../batch/tool-caller.js';
import type { CredentialProvider } from '../config/credentials.js';
import { Emitter } from '../events/emitter.js';
import type { RequestId } from '../protocol/jsonrpc.js';
import type { AuditEntry } from '../store/audit.repository.js';
import type { RunPlanning } from '../store/runs.repository.js';
import type { UpstreamPeer } from '../supervisor/upstream-peer.js';
import type { ModelFactoryOptions } from './language-model.js';
import { PLAN_TOOL_NAME, planToolAnswer } from './plan-tool.js';
import type { PlannerCatalog } from './planner-catalog.js';
import { PlannerError } from './planner-error.js';
import type { PlanCacheStore, PlannedRun, Planner, PlanningFigures, PlanOutcome } from './planner.js';

export interface PlannerServiceOptions {
  /** `orch.planner` in force (it changes with hot reload); undefined: no planner. */
  config: () => PlannerConfig | undefined;
  /** Resolves the credential references of the config. */
  credentials: CredentialProvider;
  /** Runs go through its books; its settings cut results and approve tools. */
  batch: BatchService;
  /** The plan cache (the store's); none: no cache. */
  cache?: PlanCacheStore | undefined;
  /** Where `plan_and_execute` calls are audited. */
  audit?: ((entry: AuditEntry) => void) | undefined;
  /** How the providers reach their APIs (tests). */
  model?: Omit<ModelFactoryOptions, 'onWarning'> | undefined;
  /** Where the provider's warnings go (the daemon's log), each distinct one once per planner built. */
  onWarning?: ((message: string) => void) | undefined;
}

/** What a surface hands over to plan and run a request: the batch service's planned run, with the request and the catalog the model sees. */
export type PlanRunRequest = Omit<PlannedRunRequest<PlannerRunValue>, 'catalog' | 'feed'> & {
  request: string;
  /** What the caller may call. */
  catalog: PlannerCatalog;
};

/** What a planned run resolves with. */
export interface PlannerRunValue extends PlannedRunValue {
  planned: PlannedRun;
}

/** A started planned run: `planned` settles with the run id once it is recorded (undefined when it never was). */
export interface StartedPlannedRun {
  planned: Promise<string | undefined>;
  done: Promise<PlannedRunOutcome<PlannerRunValue>>;
}

/** What a session hands over for one `tools/call plan_and_execute`. */
export interface PlanToolCall {
  requestId: RequestId;
  /** The tool's arguments, untrusted. */
  arguments: unknown;
  catalog: PlannerCatalog;
  tools: ToolCaller;
  peer: UpstreamPeer;
  progressToken?: string | number | undefined;
  /** Aborted when the client cancels the call or the session ends. */
  signal: AbortSignal;
  caller: RunCaller;
}

type CallToolResult = Record<string, unknown>;

const planToolInput = z.object({
  request: z.string().trim().min(1, 'say what to do').max(10_000),
  dryRun: z.boolean().optional(),
});

/** Distinct warnings remembered to say each once; past this, new ones are dropped (a model that warns this much says so in the first). */
const MAX_WARNINGS_KEPT = 100;

/**
 * The planner's engine and the providers: the AI SDK takes a few hundred milliseconds to load, so
 * it is loaded with the first planner, not at the start of every daemon (most run without one).
 */
async function loadEngine() {
  const [{ Planner }, { createPlannerModel }] = await Promise.all([import('./planner.js'), import('./language-model.js')]);
  return { Planner, createPlannerModel };
}

/** A run's planning as the runs table keeps it. */
export function runPlanning(request: string, figures: PlanningFigures & { firstCallMs?: number | undefined }): RunPlanning {
  return {
    request,
    planningMs: figures.planningMs,
    firstCallMs: figures.firstCallMs,
    inputTokens: figures.usage.inputTokens,
    outputTokens: figures.usage.outputTokens,
    cacheHit: figures.cacheHit,
  };
}

export class PlannerService {
  private building: Promise<Planner> | undefined;
  private readonly changeEmitter = new Emitter<boolean>();
  private wasConfigured: boolean;
  private readonly warned = new Set<string>();

  /** Fires with `configured` when a planner appears or goes away (`reset`): `plan_and_execute` is offered or withdrawn. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(private readonly options: PlannerServiceOptions) {
    this.wasConfigured = this.configured;
  }

  /** Whether a planner is configured (`orch.planner`). */
  get configured(): boolean {
    return this.options.config() !== undefined;
  }

  /** Forgets the planner: the next use builds it from the setting in force (`orch.planner` changed). */
  reset(): void {
    this.building = undefined;
    this.warned.clear();
    const configured = this.configured;
    if (configured === this.wasConfigured) return;
    this.wasConfigured = configured;
    this.changeEmitter.fire(configured);
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }

  /** The planner; rejects with `PlannerError('missing_credential')` naming what to set. A failed build is tried again on the next use. */
  planner(): Promise<Planner> {
    const config = this.options.config();
    if (!config)
      return Promise.reject(
        new PlannerError('not_configured', 'no planner is configured: set "orch.planner" in mcp-config.json (see docs/planner.md)'),
      );
    if (!this.building) {
      const building = loadEngine().then(async ({ Planner, createPlannerModel }) => {
        const model = await createPlannerModel(config, this.options.credentials, {
          ...this.options.model,
          onWarning: (message) => this.warn(message),
        });
        return new Planner({
          model,
          ...(this.options.cache ? { cache: this.options.cache } : {}),
          ...(config.cacheSize !== undefined ? { cacheSize: config.cacheSize } : {}),
        });
      });
      this.building = building;
      building.catch(() => {
        if (this.building === building) this.building = undefined;
      });
    }
    return this.building;
  }

  /** Plans `request` without running it. Rejects with `PlannerError`. */
  async plan(request: string, catalog: PlannerCatalog, signal?: AbortSignal): Promise<PlanOutcome> {
    return (await this.planner()).plan(request, catalog, signal ? { signal } : {});
  }

  /** Plans and runs `request` as a recorded run. Rejects with `PlannerError` when the planner cannot be built. */
  async start(run: PlanRunRequest): Promise<StartedPlannedRun> {
    const planner = await this.planner();
    const { request: _request, catalog, ...books } = run;
    return this.options.batch.stream<PlannerRunValue>({
      ...books,
      catalog: catalog.resolve,
      feed: async (hooks) => {
        const planned = await planner.run(run.request, run.catalog, {
          callTool: hooks.callTool,
          signal: hooks.signal,
          timeoutOf: hooks.timeoutOf,
          ...(hooks.perServerConcurrency !== undefined ? { perServerConcurrency: hooks.perServerConcurrency } : {}),
          approve: hooks.approve,
          onTaskEvent: hooks.onTaskEvent,
          onPlanned: (final, figures) =>
            hooks.onPlanned({
              plan: final.plan,
              graph: final.graph,
              warnings: final.warnings,
              planning: runPlanning(run.request, figures),
              restarted: figures.repaired,
            }),
        });
        return { planned, report: planned.report, planning: runPlanning(run.request, planned) };
      },
    });
  }

  /** Runs one `plan_and_execute` call to its end; answers a `CallToolResult`. Never rejects. */
  async execute(call: PlanToolCall): Promise<CallToolResult> {
    const parsed = planToolInput.safeParse(call.arguments ?? {});
    if (!parsed.success)
      return errorResult(
        `invalid arguments: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(arguments)'}: ${issue.message}`).join('; ')}`,
      );
    const { request, dryRun } = parsed.data;
    const settings = this.options.batch.settings;
    try {
      if (dryRun) {
        const outcome = await this.plan(request, call.catalog, call.signal);
        this.audit(call.caller, 'ok', undefined, { dryRun: true, tasks: outcome.plan.tasks.length, cacheHit: outcome.cacheHit });
        const answer = {
          ...planToolAnswer('', { ...outcome, startedBeforePlanComplete: false }, settings.maxResultChars),
          needsApproval: this.options.batch.needsApproval(outcome.graph, call.tools),
        };
        return { content: [{ type: 'text', text: JSON.stringify(answer) }], structuredContent: answer };
      }
      const started = await this.start({
        request,
        catalog: call.catalog,
        tools: call.tools,
        peer: call.peer,
        caller: call.caller,
        source: PLAN_TOOL_NAME,
        requestId: call.requestId,
        signal: call.signal,
        onTaskEnded: progressTo(call.peer, call.requestId, call.progressToken),
      });
      const outcome = await started.done;
      if (outcome.kind === 'refused') {
        this.audit(call.caller, 'denied', undefined, { refused: true, needsApproval: outcome.needsApproval });
        return errorResult(outcome.text, { needsApproval: outcome.needsApproval });
      }
      if (outcome.kind === 'failed') return this.failed(call.caller, outcome.error, outcome.runId);
      const { planned } = outcome.value;
      this.audit(call.caller, outcome.report.status === 'succeeded' ? 'ok' : 'error', outcome.runId, {
        status: outcome.report.status,
        tasks: outcome.report.tasks.length,
        cacheHit: planned.cacheHit,
      });
      const answer = planToolAnswer(outcome.runId, planned, settings.maxResultChars);
      return { content: [{ type: 'text', text: JSON.stringify(answer) }], structuredContent: answer };
    } catch (error) {
      return this.failed(call.caller, error);
    }
  }

  /** The answer to a planning that failed; `runId` when the run had been recorded (as failed). */
  private failed(caller: RunCaller, error: unknown, runId?: string): CallToolResult {
    const failure =
      error instanceof PlannerError ? error : new PlannerError('provider_error', error instanceof Error ? error.message : String(error));
    this.audit(caller, 'error', runId, { code: failure.code });
    return errorResult(`The planner failed (${failure.code}): ${failure.message}`, {
      error: plannerErrorView(failure),
      ...(runId !== undefined ? { runId } : {}),
    });
  }

  private warn(message: string): void {
    if (this.warned.has(message) || this.warned.size >= MAX_WARNINGS_KEPT) return;
    this.warned.add(message);
    this.options.onWarning?.(message);
  }

  private audit(caller: RunCaller, outcome: AuditEntry['outcome'], runId: string | undefined, details: Record<string, unknown>): void {
    this.options.audit?.({
      time: Date.now(),
      keyId: caller.keyId,
      keyName: caller.keyName,
      action: PLAN_TOOL_NAME,
      target: runId,
      outcome,
      details,
    });
  }
}

/** A planner error as answers show it: its code and message, the plan's problems and the variable to set when there are. */
export function plannerErrorView(error: PlannerError): { code: string; message: string; problems?: string[]; variable?: string } {
  const { problems, variable } = error.details as { problems?: unknown; variable?: unknown };
  return {
    code: error.code,
    message: error.message,
    ...(Array.isArray(problems) ? { problems: problems.map(String) } : {}),
    ...(typeof variable === 'string' ? { variable } : {}),
  };
}

function errorResult(text: string, structuredContent?: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], ...(structuredContent ? { structuredContent } : {}), isError: true };
}
