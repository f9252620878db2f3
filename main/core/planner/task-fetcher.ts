/**
 * LLMCompiler's task-fetching unit, on the text of a streamed plan: as the JSON grows, each task
 * object is handed over the moment its closing brace arrives, never a half-written one. A small
 * scanner follows strings and nesting to see that brace; the text so far is then parsed (the AI
 * SDK's partial JSON parser) to read the task. Text is bounded: a plan larger than `maxChars` is an error.
 */
import { parsePartialJson } from 'ai';

/** Receives each complete task, raw (not yet checked), with its position in the plan. */
export type OnTask = (task: unknown, position: number) => void;

/** Hands over the tasks of one streamed plan; one instance per answer. */
export class TaskFetcher {
  private text = '';
  private handed = 0;
  private completed = 0;
  // Scanner state: the open containers, whether inside a string, the last string at the top level.
  private readonly stack: ('{' | '[')[] = [];
  private inString = false;
  private escaped = false;
  private topString = '';
  private topCapture: string | undefined;
  /** Depth of the `tasks` array, once opened. */
  private tasksDepth = -1;

  constructor(
    private readonly onTask: OnTask,
    private readonly maxChars = 1_000_000,
  ) {}

  /** Tasks handed over so far. */
  get count(): number {
    return this.handed;
  }

  /** Adds a piece of the answer; hands over the tasks it completes. */
  async push(delta: string): Promise<void> {
    this.text += delta;
    if (this.text.length > this.maxChars) throw new Error(`the plan is longer than ${this.maxChars} characters`);
    for (const char of delta) this.scan(char);
    if (this.completed <= this.handed) return;
    const { value } = await parsePartialJson(this.text);
    this.handOver(tasksOf(value), this.completed);
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

  private scan(char: string): void {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (char === '\\') this.escaped = true;
      else if (char === '"') {
        this.inString = false;
        if (this.topCapture !== undefined) this.topString = this.topCapture;
        this.topCapture = undefined;
      } else if (this.topCapture !== undefined && this.topCapture.length < 64) this.topCapture += char;
      return;
    }
    if (char === '"') {
      this.inString = true;
      // Strings directly in the root object are its keys (and plain values): the one before "[" names the array.
      if (this.stack.length === 1) this.topCapture = '';
    } else if (char === '{' || char === '[') {
      if (char === '[' && this.stack.length === 1 && this.topString === 'tasks') this.tasksDepth = 2;
      this.stack.push(char);
    } else if (char === '}' || char === ']') {
      if (char === '}' && this.stack.length === 3 && this.tasksDepth === 2 && this.stack[1] === '[') this.completed += 1;
      if (char === ']' && this.stack.length === 2 && this.tasksDepth === 2) this.tasksDepth = -1;
      this.stack.pop();
    }
  }

  private handOver(tasks: readonly unknown[], complete: number): void {
    while (this.handed < Math.min(complete, tasks.length)) {
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
