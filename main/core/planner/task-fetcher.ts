/**
 * LLMCompiler's task-fetching unit, on the text of a streamed plan: as the JSON grows, each task
 * object is handed over once it is complete — when the next one has begun, or the stream ended —
 * never a half-written one. Text is bounded: a plan larger than `maxChars` is an error.
 */
import { parsePartialJson } from 'ai';

/** Receives each complete task, raw (not yet checked), with its position in the plan. */
export type OnTask = (task: unknown, position: number) => void;

export class TaskFetcher {
  private text = '';
  private handed = 0;

  constructor(
    private readonly onTask: OnTask,
    private readonly maxChars = 1_000_000,
  ) {}

  /** The text so far. */
  get received(): string {
    return this.text;
  }

  /** Tasks handed over so far. */
  get count(): number {
    return this.handed;
  }

  /** Adds a piece of the answer; hands over the tasks it completes. */
  async push(delta: string): Promise<void> {
    this.text += delta;
    if (this.text.length > this.maxChars) throw new Error(`the plan is longer than ${this.maxChars} characters`);
    // Only a closing brace can complete a task object; parsing the text on every delta would be quadratic for nothing.
    if (!delta.includes('}')) return;
    const { value } = await parsePartialJson(this.text);
    const tasks = tasksOf(value);
    // The last element may still be growing: it is complete only once another one follows.
    this.handOver(tasks, tasks.length - 1);
  }

  /** The stream ended: hands over what is left; answers the whole answer parsed, or undefined when it is not JSON. */
  end(): unknown {
    let value: unknown;
    try {
      value = JSON.parse(this.text);
    } catch {
      return undefined;
    }
    const tasks = tasksOf(value);
    this.handOver(tasks, tasks.length);
    return value;
  }

  private handOver(tasks: readonly unknown[], complete: number): void {
    while (this.handed < complete) {
      const position = this.handed++;
      this.onTask(tasks[position], position);
    }
  }
}

function tasksOf(value: unknown): unknown[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const tasks = (value as { tasks?: unknown }).tasks;
  return Array.isArray(tasks) ? tasks : [];
}
