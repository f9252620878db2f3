/**
 * Test helpers for the executor: plans over a synthetic catalog (`<server>__<kind>`, where kind
 * `read` is read-only, `idem` idempotent, anything else neither) and tool calls the test settles by
 * hand, announced as they start.
 */
import type { CallTool } from '../executor.js';
import type { GraphTask, PlanGraph, ToolCatalog } from '../plan-graph.js';
import { validatePlan } from '../plan-validation.js';
import type { ToolResult } from '../references.js';
import type { PlanLike } from '../types.js';

export const syntheticCatalog: ToolCatalog = (tool) => {
  const [server, kind] = tool.split('__');
  if (!server || !kind) return undefined;
  const annotations = kind === 'read' ? { readOnlyHint: true } : kind === 'idem' ? { idempotentHint: true } : {};
  return { server, name: kind, annotations };
};

/** The graph of a plan that must be valid. */
export function graphOf(plan: PlanLike): PlanGraph {
  const result = validatePlan(plan, syntheticCatalog);
  if (!result.ok) throw new Error(result.problems.map((problem) => problem.message).join('\n'));
  return result.graph;
}

export const text = (value: string): ToolResult => ({ content: [{ type: 'text', text: value }] });

export interface PendingCall {
  task: GraphTask;
  args: Record<string, unknown>;
  signal: AbortSignal;
  resolve: (result: ToolResult) => void;
  reject: (error: Error) => void;
}

/** Tool calls that wait for the test; a call rejects when its signal aborts. */
export class ManualCalls {
  /** `start <id>` and `end <id>` in the order they happened. */
  readonly log: string[] = [];
  readonly pending = new Map<string, PendingCall>();
  private readonly waiters = new Map<string, (call: PendingCall) => void>();

  readonly callTool: CallTool = (task, args, signal) =>
    new Promise<ToolResult>((resolve, reject) => {
      this.log.push(`start ${task.id}`);
      const call: PendingCall = {
        task,
        args,
        signal,
        resolve: (result) => {
          this.pending.delete(task.id);
          this.log.push(`end ${task.id}`);
          resolve(result);
        },
        reject: (error) => {
          this.pending.delete(task.id);
          this.log.push(`end ${task.id}`);
          reject(error);
        },
      };
      signal.addEventListener('abort', () => call.reject(signal.reason instanceof Error ? signal.reason : new Error('aborted')), {
        once: true,
      });
      this.pending.set(task.id, call);
      this.waiters.get(task.id)?.(call);
      this.waiters.delete(task.id);
    });

  /** Resolves when the call of task `id` has started (at once if it is pending). */
  started(id: string): Promise<PendingCall> {
    const call = this.pending.get(id);
    if (call) return Promise.resolve(call);
    return new Promise((resolve) => this.waiters.set(id, resolve));
  }

  /** Answers the pending call of `id`. */
  async succeed(id: string, result: ToolResult = text(id)): Promise<void> {
    (await this.started(id)).resolve(result);
  }

  async fail(id: string, message = `${id} broke`): Promise<void> {
    (await this.started(id)).reject(new Error(message));
  }

  /** Ids of the calls in flight. */
  get running(): string[] {
    return [...this.pending.keys()].sort();
  }
}

/** Lets every queued promise callback run: the executor reacts to a settled call within this. */
export function settled(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
