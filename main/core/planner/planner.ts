/**
 * The planner: a natural-language request and a tool catalog in, a validated and optimised batch
 * plan out — run, or returned for preview. The surfaces (`plan_and_execute`, `POST /api/runs
 * {request}`, `mcp-orch plan`) each call it once:
 *
 *   const planned = await planner.run(request, catalog, { callTool, signal, dryRun });
 *
 * `plan` only plans. `run` streams the plan into the executor, so the first tasks start before the
 * plan is complete. Both use the plan cache (keyed by the normalised request, the catalog version
 * and the model), and report the planning time and the provider's token usage.
 */
import type { BatchPlanInput } from '../../../shared/batch-plan.js';
import { ArgumentChecker } from '../batch/argument-check.js';
import { runPlan, type CallTool, type RunOptions } from '../batch/executor.js';
import type { CatalogTool } from '../batch/plan-graph.js';
import type { RunReport, TaskEvent } from '../batch/run-report.js';
import type { CachedPlanEntry } from '../store/plan-cache.repository.js';
import type { PlannerModel } from './language-model.js';
import { NO_USAGE, addUsage, generatePlanText, type ModelAnswer, type TokenUsage } from './model-call.js';
import { cacheKey, checkModelPlan, finalisePlan, normaliseRequest, type FinalPlan } from './plan-check.js';
import type { PlannerCatalog } from './planner-catalog.js';
import { PlannerError } from './planner-error.js';
import { planMessages, repairMessages } from './prompt.js';
import { streamAndRun, type StreamedRunResult } from './stream-and-run.js';
import { selectTools } from './tool-prefilter.js';

/** Where plans are cached: the store's `PlanCacheRepository`, or anything with its three calls. */
export interface PlanCacheStore {
  /** The plan under `key`, counting a hit or a miss. */
  get(key: string): unknown;
  /** Keeps a plan, evicting the least recently used past `maxEntries`. */
  put(entry: CachedPlanEntry, maxEntries: number): void;
  /** Forgets a plan that no longer validates. */
  delete(key: string): boolean;
}

export interface PlannerOptions {
  model: PlannerModel;
  /** None: no cache. */
  cache?: PlanCacheStore;
  /** Plans the cache keeps; default 500; 0 turns caching off. */
  cacheSize?: number;
  /** The clock for the reported times (ms); `performance.now` by default. */
  now?: () => number;
}

export interface PlanOptions {
  /** Aborting it stops the planning (and the run). */
  signal?: AbortSignal;
}

/** How a plan was made, as known once it is complete. */
export interface PlanningFigures {
  /** From the request to the complete, validated plan (repair round included). */
  planningMs: number;
  /** As the provider reported it, every call of this planning summed; zero on a cache hit. */
  usage: TokenUsage;
  cacheHit: boolean;
  /** The first plan was invalid and the repair round fixed it. */
  repaired: boolean;
}

/** A plan and how it was made. */
export interface PlanOutcome extends FinalPlan {
  /** From the request to the complete, validated plan (repair round included). */
  planningMs: number;
  /** As the provider reported it, every call of this planning summed; zero on a cache hit. */
  usage: TokenUsage;
  cacheHit: boolean;
  /** The first plan was invalid and the repair round fixed it. */
  repaired: boolean;
  /** Tools the model was shown. */
  toolsOffered: number;
}

export interface PlannedRunOptions extends PlanOptions {
  /** Calls one tool (the executor's `CallTool`). */
  callTool: CallTool;
  /** Plan only: nothing runs. */
  dryRun?: boolean;
  /** Tasks that start only once the whole plan is valid; default: the ones that are not read-only. */
  hold?: (target: CatalogTool) => boolean;
  /** Asked once the plan is complete, with the tools of the held tasks (say, for approval); false cancels the run. */
  approve?: (tools: string[]) => Promise<boolean>;
  /**
   * Every start, retry and end. In a streamed run a task's `index` is the order it joined the run
   * (held tasks last), not its place in the plan: key live views by `id`.
   */
  onTaskEvent?: (event: TaskEvent) => void;
  /**
   * Told once the plan is complete, valid and approved (before anything runs, for a cached or
   * repaired plan): the moment to record the run. Not told when approval is declined.
   */
  onPlanned?: (plan: FinalPlan, planning: PlanningFigures) => void;
  maxConcurrency?: number;
  perServerConcurrency?: RunOptions['perServerConcurrency'];
  defaultTimeoutMs?: number;
  /** A server's own timeout for its tasks (`serverFor(server)?.config.timeoutMs`). */
  timeoutOf?: RunOptions['timeoutOf'];
}

/** A planned run; `report` is absent for a dry run. */
export interface PlannedRun extends PlanOutcome {
  report?: RunReport;
  /** From the request to the first tool call, when one started. */
  firstCallMs?: number;
  /** Tools were called before the plan was complete. */
  startedBeforePlanComplete: boolean;
}

const DEFAULT_CACHE_SIZE = 500;
const defaultNow = (): number => performance.now();
const changesThings = (target: CatalogTool): boolean => target.annotations?.readOnlyHint !== true;

/** Plans requests with one model; holds no state between calls but the plan cache. */
export class Planner {
  private readonly checker = new ArgumentChecker();
  private readonly now: () => number;

  constructor(private readonly options: PlannerOptions) {
    this.now = options.now ?? defaultNow;
  }

  /** Plans `request` over `catalog` without running anything. Throws `PlannerError`. */
  async plan(request: string, catalog: PlannerCatalog, options: PlanOptions = {}): Promise<PlanOutcome> {
    const started = this.now();
    const normalised = this.normalised(request);
    const key = cacheKey(normalised, catalog.version, this.options.model.identity);
    const cached = this.fromCache(key, catalog, started);
    if (cached) return cached;
    const tools = selectTools(normalised, catalog.tools, this.options.model.maxTools);
    const messages = planMessages(normalised, tools);
    return this.withModelSignal(options.signal, async (signal) => {
      const first = await generatePlanText(this.options.model, messages, signal);
      const checked = checkModelPlan(first.text, catalog, this.checker);
      let usage = first.usage;
      let plan: BatchPlanInput;
      let repaired = false;
      if (checked.ok) {
        plan = checked.plan;
      } else {
        const second = await this.repair(messages, first.text, checked, catalog, signal);
        usage = addUsage(usage, second.usage);
        plan = second.plan;
        repaired = true;
      }
      const final = finalisePlan(plan, catalog, this.checker);
      this.remember(key, normalised, catalog, final);
      return { ...final, planningMs: this.now() - started, usage, cacheHit: false, repaired, toolsOffered: tools.length };
    });
  }

  /**
   * Plans and runs `request`: the plan streams into the executor, each task starting once it is
   * complete and its dependencies succeeded (tasks `hold` keeps wait for the whole plan). An invalid
   * plan cancels what started; it is repaired once and run whole when only reads had started.
   * Throws `PlannerError` (with `details.report` when tasks had started).
   */
  async run(request: string, catalog: PlannerCatalog, options: PlannedRunOptions): Promise<PlannedRun> {
    if (options.dryRun) return { ...(await this.plan(request, catalog, options)), startedBeforePlanComplete: false };
    const started = this.now();
    const normalised = this.normalised(request);
    const key = cacheKey(normalised, catalog.version, this.options.model.identity);
    const cached = this.fromCache(key, catalog, started);
    if (cached) return { ...cached, ...(await this.runWhole(cached, options, started)) };
    const tools = selectTools(normalised, catalog.tools, this.options.model.maxTools);
    const messages = planMessages(normalised, tools);
    return this.withModelSignal(options.signal, async (modelSignal) => {
      const streamed = await streamAndRun({
        model: this.options.model,
        messages,
        catalog,
        checker: this.checker,
        modelSignal,
        run: this.runOptions(options),
        hold: options.hold ?? changesThings,
        ...(options.approve ? { approve: options.approve } : {}),
        // Cached as soon as it is complete, valid and approved: the same request made while this run
        // goes on (a REST caller has its answer by then) takes it from the cache.
        onPlanned: (final: FinalPlan, at: number, answer: ModelAnswer) => {
          this.remember(key, normalised, catalog, final);
          options.onPlanned?.(final, { planningMs: at - started, usage: answer.usage, cacheHit: false, repaired: false });
        },
        now: this.now,
      });
      if (streamed.kind === 'ran') {
        const firstCallMs = streamed.firstCallAt === undefined ? undefined : streamed.firstCallAt - started;
        return {
          ...streamed.final,
          planningMs: streamed.planCompleteAt - started,
          usage: streamed.answer.usage,
          cacheHit: false,
          repaired: false,
          toolsOffered: tools.length,
          report: streamed.report,
          ...(firstCallMs !== undefined ? { firstCallMs } : {}),
          startedBeforePlanComplete: streamed.firstCallAt !== undefined && streamed.firstCallAt < streamed.planCompleteAt,
        };
      }
      return this.repairStreamed(
        streamed,
        { key, normalised, messages, catalog, started, toolsOffered: tools.length },
        modelSignal,
        options,
      );
    });
  }

  /** After a streamed plan turned out invalid: one repair round, then the repaired plan runs whole. */
  private async repairStreamed(
    streamed: Extract<StreamedRunResult, { kind: 'invalid' }>,
    context: {
      key: string;
      normalised: string;
      messages: ReturnType<typeof planMessages>;
      catalog: PlannerCatalog;
      started: number;
      toolsOffered: number;
    },
    signal: AbortSignal,
    options: PlannedRunOptions,
  ): Promise<PlannedRun> {
    if (streamed.startedChanges) {
      throw new PlannerError(
        'invalid_plan',
        `The plan turned out invalid after tasks that change things had started; they were cancelled and the plan was not repaired:\n- ${streamed.problems.join('\n- ')}`,
        {
          problems: streamed.problems,
          report: streamed.cancelled,
          usage: streamed.answer.usage,
        },
      );
    }
    const second = await this.repair(context.messages, streamed.answer.text, streamed, context.catalog, signal);
    const final = finalisePlan(second.plan, context.catalog, this.checker);
    this.remember(context.key, context.normalised, context.catalog, final);
    const outcome: PlanOutcome = {
      ...final,
      planningMs: this.now() - context.started,
      usage: addUsage(streamed.answer.usage, second.usage),
      cacheHit: false,
      repaired: true,
      toolsOffered: context.toolsOffered,
    };
    return { ...outcome, ...(await this.runWhole(outcome, options, context.started)) };
  }

  /** The repair round: the errors go back to the model once; a plan still invalid is an error. */
  private async repair(
    messages: ReturnType<typeof planMessages>,
    answer: string,
    first: { problems: string[]; empty: boolean },
    catalog: PlannerCatalog,
    signal: AbortSignal,
  ): Promise<{ plan: BatchPlanInput; usage: TokenUsage }> {
    if (first.empty) throw new PlannerError('no_plan', 'The model made no plan: the tools at hand may not be able to do this request.');
    const second = await generatePlanText(this.options.model, repairMessages(messages, answer, first.problems), signal);
    const checked = checkModelPlan(second.text, catalog, this.checker);
    if (checked.ok) return { plan: checked.plan, usage: second.usage };
    if (checked.empty) throw new PlannerError('no_plan', 'The model made no plan: the tools at hand may not be able to do this request.');
    throw new PlannerError(
      'invalid_plan',
      `The model's plan was still invalid after one repair round:\n- ${checked.problems.join('\n- ')}`,
      { problems: checked.problems },
    );
  }

  /** Runs a complete plan (from the cache, or repaired) once approved; times count from `started`. */
  private async runWhole(
    outcome: PlanOutcome,
    options: PlannedRunOptions,
    started: number,
  ): Promise<{ report: RunReport; firstCallMs?: number; startedBeforePlanComplete: boolean }> {
    if (options.approve) {
      const held = [
        ...new Set(outcome.graph.tasks.filter((task) => (options.hold ?? changesThings)(task.target)).map((task) => task.tool)),
      ];
      if (held.length > 0 && !(await options.approve(held))) {
        const controller = new AbortController();
        controller.abort(new Error('approval was declined'));
        return {
          report: await runPlan(outcome.graph, { callTool: options.callTool, signal: controller.signal }),
          startedBeforePlanComplete: false,
        };
      }
    }
    options.onPlanned?.(outcome, {
      planningMs: outcome.planningMs,
      usage: outcome.usage,
      cacheHit: outcome.cacheHit,
      repaired: outcome.repaired,
    });
    let firstCallAt: number | undefined;
    const runOptions = this.runOptions(options);
    const report = await runPlan(outcome.graph, {
      ...runOptions,
      onTaskEvent: (event) => {
        if (event.type === 'started' && firstCallAt === undefined) firstCallAt = this.now();
        runOptions.onTaskEvent?.(event);
      },
    });
    return { report, ...(firstCallAt !== undefined ? { firstCallMs: firstCallAt - started } : {}), startedBeforePlanComplete: false };
  }

  private runOptions(options: PlannedRunOptions): Omit<RunOptions, 'onError'> {
    return {
      callTool: options.callTool,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.maxConcurrency !== undefined ? { maxConcurrency: options.maxConcurrency } : {}),
      ...(options.perServerConcurrency !== undefined ? { perServerConcurrency: options.perServerConcurrency } : {}),
      ...(options.defaultTimeoutMs !== undefined ? { defaultTimeoutMs: options.defaultTimeoutMs } : {}),
      ...(options.timeoutOf ? { timeoutOf: options.timeoutOf } : {}),
      ...(options.onTaskEvent ? { onTaskEvent: options.onTaskEvent } : {}),
    };
  }

  private normalised(request: string): string {
    const normalised = normaliseRequest(request);
    if (!normalised) throw new PlannerError('no_plan', 'The request is empty.');
    return normalised;
  }

  /** A cached plan that still validates against the catalog, as an outcome; undefined on a miss. */
  private fromCache(key: string, catalog: PlannerCatalog, started: number): PlanOutcome | undefined {
    if (!this.options.cache || this.cacheSize === 0) return undefined;
    const plan = this.options.cache.get(key);
    if (plan === undefined) return undefined;
    const checked = checkModelPlan(JSON.stringify(plan), catalog, this.checker);
    if (!checked.ok) {
      this.options.cache.delete(key);
      return undefined;
    }
    const final = finalisePlan(checked.plan, catalog, this.checker);
    return { ...final, notes: [], planningMs: this.now() - started, usage: NO_USAGE, cacheHit: true, repaired: false, toolsOffered: 0 };
  }

  private remember(key: string, request: string, catalog: PlannerCatalog, final: FinalPlan): void {
    if (!this.options.cache || this.cacheSize === 0) return;
    this.options.cache.put(
      { key, request, catalogVersion: catalog.version, model: this.options.model.identity, plan: final.plan },
      this.cacheSize,
    );
  }

  private get cacheSize(): number {
    return this.options.cacheSize ?? DEFAULT_CACHE_SIZE;
  }

  /** Runs `work` with a signal that aborts on the caller's signal or after the planning timeout. */
  private async withModelSignal<T>(signal: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const timeout = AbortSignal.timeout(this.options.model.timeoutMs);
    return work(signal ? AbortSignal.any([signal, timeout]) : timeout);
  }
}
