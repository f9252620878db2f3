/**
 * The validated form of a batch plan that the executor runs: tasks resolved to their server and
 * tool, dependencies (from `dependsOn` and references) as index lists both ways, templates parsed.
 */
import type { OnError } from './types.js';
import type { Template } from '../../../shared/plan-references.js';

/** MCP tool annotations the batch engine reads. */
export interface ToolAnnotations {
  readOnlyHint?: boolean;
  idempotentHint?: boolean;
  destructiveHint?: boolean;
  [key: string]: unknown;
}

/** A tool as the catalog knows it. */
export interface CatalogTool {
  /** The server that owns the tool. */
  server: string;
  /** The tool's name on that server. */
  name: string;
  inputSchema?: unknown;
  outputSchema?: unknown;
  annotations?: ToolAnnotations;
}

/** Resolves a tool name as written in a plan; undefined for an unknown tool. */
export type ToolCatalog = (tool: string) => CatalogTool | undefined;

/** One task of a validated plan. */
export interface GraphTask {
  /** Position in the plan; dependencies and dependents are such indexes. */
  index: number;
  id: string;
  /** The tool's name as written in the plan. */
  tool: string;
  /** The tool as the catalog resolved it. */
  target: CatalogTool;
  arguments: Record<string, unknown>;
  /** Strings of `arguments` that hold references, filled in when the task becomes ready. */
  templates: Template[];
  /** Tasks that must succeed before this one starts, each once. */
  dependencies: number[];
  /** Tasks that wait for this one, each once. */
  dependents: number[];
  timeoutMs?: number;
  /** Extra attempts after a failure: the plan's `retries` for a read-only or idempotent tool, else 0. */
  retries: number;
}

/** A plan that passed validation. */
export interface PlanGraph {
  tasks: GraphTask[];
  maxConcurrency: number;
  onError: OnError;
  /** Indexes of the tasks whose results go back to the caller, in plan order; undefined: every task. */
  output?: number[];
}

/** Whether a tool may be called again after a failure without changing the outcome. */
export function isRetryable(annotations: ToolAnnotations | undefined): boolean {
  return annotations?.readOnlyHint === true || annotations?.idempotentHint === true;
}
