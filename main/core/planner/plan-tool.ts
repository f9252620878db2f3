/**
 * The `plan_and_execute` tool as MCP clients will see it: its definition, and the compact answer
 * it gives — the run's report (results of the plan's output tasks only), the plan as waves, and how
 * the plan was made. The surfaces wire it; this file only says what it looks like.
 */
import { compactReport, type CompactReport } from '../batch/batch-tool.js';
import type { PlannedRun } from './planner.js';

export const PLAN_TOOL_NAME = 'plan_and_execute';

let definition: Record<string, unknown> | undefined;

/** The tool definition on the aggregated endpoint; always the same object. */
export function planToolDefinition(): Record<string, unknown> {
  return (definition ??= {
    name: PLAN_TOOL_NAME,
    title: 'Plan and run tool calls',
    description: [
      'Says in plain words what you want done with the tools of this server; MCP Orch plans the tool calls, runs them in parallel where it can, and answers one compact report.',
      'Only the results that answer the request come back; intermediate results feed later calls without reaching you.',
      'Give "dryRun": true to get the plan without running it.',
    ].join('\n'),
    inputSchema: {
      type: 'object',
      properties: {
        request: {
          type: 'string',
          minLength: 1,
          maxLength: 10_000,
          description: 'what to do, in natural language, with the values it needs (names, ids, paths, texts)',
        },
        dryRun: { type: 'boolean', description: 'plan only', default: false },
      },
      required: ['request'],
    },
    annotations: { title: 'Plan and run tool calls', readOnlyHint: false, openWorldHint: true },
  });
}

/** What `plan_and_execute` answers. */
export interface PlanToolAnswer {
  /** Task ids by wave. */
  waves: string[][];
  planning: { planningMs: number; firstCallMs?: number; inputTokens: number; outputTokens: number; cacheHit: boolean };
  /** Absent for a dry run, which answers the plan instead. */
  report?: CompactReport;
  plan?: PlannedRun['plan'];
  /** A dry run: the tools that would need approval. */
  needsApproval?: string[];
}

const round = (value: number): number => Math.round(value * 10) / 10;

/** The answer of a planned run (or dry run), with result text cut to `maxChars`. */
export function planToolAnswer(runId: string, planned: PlannedRun, maxChars: number): PlanToolAnswer {
  return {
    waves: planned.waves,
    planning: {
      planningMs: round(planned.planningMs),
      ...(planned.firstCallMs !== undefined ? { firstCallMs: round(planned.firstCallMs) } : {}),
      inputTokens: planned.usage.inputTokens,
      outputTokens: planned.usage.outputTokens,
      cacheHit: planned.cacheHit,
    },
    ...(planned.report ? { report: compactReport(runId, planned.report, maxChars, planned.warnings) } : { plan: planned.plan }),
  };
}
