/**
 * The seam of a run whose tasks arrive one by one (`openRun` in `executor.ts`), as a planner streams
 * them: what a task brings, and what the run offers its feeder.
 */
import type { CatalogTool } from './plan-graph.js';
import type { Template } from '../../../shared/plan-references.js';
import type { RunReport } from './run-report.js';

/** A task handed to an open run: its dependencies are named by id, and may not have been added yet. */
export interface OpenTask {
  id: string;
  tool: string;
  target: CatalogTool;
  arguments: Record<string, unknown>;
  templates: Template[];
  /** Every task it waits for (its `dependsOn` and the tasks its references name). */
  dependsOn: readonly string[];
  timeoutMs?: number;
  retries: number;
}

/** A run that takes its tasks one by one (LLMCompiler's task-fetching unit feeds one). */
export interface OpenRun {
  /**
   * Adds a task; it starts once every task it names was added and succeeded, and is skipped when
   * one of them failed. False (and nothing added) once the run is closed, stopped or cancelled.
   * Throws for an id already added.
   */
  add(task: OpenTask): boolean;
  /**
   * No more tasks: the run ends when the tasks added do. `output` names the tasks whose results
   * go back. A task still waiting for an id never added is skipped.
   */
  close(output?: readonly string[]): void;
  /** Cancels the run: running calls are aborted, every unfinished task ends `cancelled`. */
  cancel(reason: string): void;
  /** Tasks added so far. */
  readonly size: number;
  /** Settles with the report once the run is closed (or cancelled) and every task ended. Never rejects. */
  readonly done: Promise<RunReport>;
}
