/**
 * How the CLI shows a run, the same for `mcp-orch batch` and `mcp-orch plan`: one line per task as
 * it ends (on stderr), then a table of the tasks with their results or errors, and a summary line.
 */
import { table } from './api-client.js';

/** A task as the table shows it once the run ended. */
export interface TaskRow {
  id: string;
  tool: string;
  status: string;
  durationMs?: number | undefined;
  /** The result, the error or why it did not run; empty to show nothing. */
  detail: string;
}

/** How a run ended, for its summary line. */
export interface RunOutcome {
  status: string;
  tasks: number;
  wallMs: number;
  taskMs: number;
  speedup: number;
  warnings?: readonly string[] | undefined;
  /** Why the run failed as a whole. */
  error?: string | undefined;
}

const MAX_DETAIL = 80;

/** `text` on one line, cut to fit a table cell. */
export function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL - 1)}…` : line;
}

/** What a task's cell says: its error, why it did not run, or its result (text, else structured content). */
export function taskDetail(task: {
  error?: { message: string } | undefined;
  reason?: string | undefined;
  text?: string | undefined;
  structuredContent?: unknown;
}): string {
  return oneLine(
    task.error?.message ?? task.reason ?? task.text ?? (task.structuredContent === undefined ? '' : JSON.stringify(task.structuredContent)),
  );
}

/** The line written to stderr when a task ended: `[3/8] issues succeeded`. */
export function progressLine(finished: number, total: number | undefined, message: string): string {
  return `[${finished}/${total ?? '?'}] ${message}\n`;
}

/** Prints the tasks, then how the run ended. */
export function printRun(rows: readonly TaskRow[], outcome: RunOutcome): void {
  const cells = [['TASK', 'TOOL', 'STATUS', 'MS', 'RESULT / ERROR']];
  for (const row of rows)
    cells.push([row.id, row.tool, row.status, row.durationMs === undefined ? '-' : String(Math.round(row.durationMs)), row.detail]);
  console.log(table(cells));
  console.log(
    `\n${outcome.status}: ${outcome.tasks} tasks in ${Math.round(outcome.wallMs)} ms (task time ${Math.round(outcome.taskMs)} ms, speedup ×${outcome.speedup})`,
  );
  for (const warning of outcome.warnings ?? []) console.log(`warning: ${warning}`);
  if (outcome.error) console.log(`error: ${outcome.error}`);
}

/** Prints a plan as its waves: `  wave 1: a (github__list_issues), b (…)`. */
export function printWaves(waves: readonly (readonly string[])[], toolOf: (id: string) => string | undefined): void {
  waves.forEach((wave, index) => console.log(`  wave ${index + 1}: ${wave.map((id) => `${id} (${toolOf(id) ?? '?'})`).join(', ')}`));
}
