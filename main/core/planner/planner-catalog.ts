/**
 * The tools a planner may use: what the model is told about each (name, description, schemas,
 * whether it only reads), the batch engine's resolver for validation and execution, and a version
 * that changes with any of it (part of the plan cache key).
 */
import { createHash } from 'node:crypto';
import type { ToolAnnotations, ToolCatalog } from '../batch/plan-graph.js';
import { aggregateCatalog } from '../batch/tool-catalog.js';
import { ORIGIN_META_KEY } from '../registry/aggregate-view.js';
import type { Origin } from '../registry/naming.js';

/** A tool as the planner describes it to the model. */
export interface PlannerTool {
  /** The name plans use (namespaced on the aggregate). */
  name: string;
  /** The name on its server, when it differs: the request may say `list_issues` for `github__list_issues`. */
  plainName?: string;
  description?: string;
  inputSchema?: unknown;
  outputSchema?: unknown;
  annotations?: ToolAnnotations;
}

/** What a planner plans over. */
export interface PlannerCatalog {
  tools: readonly PlannerTool[];
  /** Resolves a name as plans write it; the same resolver `batch_execute` validates with. */
  resolve: ToolCatalog;
  /** Changes whenever a tool is added, removed or described differently. */
  version: string;
}

/** The catalog of the aggregate's tools (`view.tools`, already filtered for the caller with `visibleTools`). */
export function aggregatePlannerCatalog(tools: readonly Record<string, unknown>[]): PlannerCatalog {
  const planned = tools.map((tool): PlannerTool => {
    const origin = (tool._meta as Record<string, unknown> | undefined)?.[ORIGIN_META_KEY] as Origin | undefined;
    return describe(tool, origin?.name);
  });
  return { tools: planned, resolve: aggregateCatalog(tools), version: catalogVersion(planned) };
}

/** A catalog from tool descriptions and a resolver (a per-server endpoint, tests, the eval). */
export function plannerCatalog(tools: readonly PlannerTool[], resolve: ToolCatalog): PlannerCatalog {
  return { tools, resolve, version: catalogVersion(tools) };
}

function describe(tool: Record<string, unknown>, plainName: string | undefined): PlannerTool {
  const name = tool.name as string;
  return {
    name,
    ...(plainName && plainName !== name ? { plainName } : {}),
    ...(typeof tool.description === 'string' ? { description: tool.description } : {}),
    ...(tool.inputSchema !== undefined ? { inputSchema: tool.inputSchema } : {}),
    ...(tool.outputSchema !== undefined ? { outputSchema: tool.outputSchema } : {}),
    ...(tool.annotations !== undefined ? { annotations: tool.annotations as ToolAnnotations } : {}),
  };
}

/** A hash of what the model is told about every tool, in a stable order. */
export function catalogVersion(tools: readonly PlannerTool[]): string {
  const hash = createHash('sha256');
  for (const tool of [...tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    hash.update(
      JSON.stringify([tool.name, tool.description ?? '', tool.inputSchema ?? null, tool.outputSchema ?? null, tool.annotations ?? null]),
    );
    hash.update('\n');
  }
  return hash.digest('hex').slice(0, 32);
}
