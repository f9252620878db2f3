/**
 * The `batch_execute` tool as MCP clients see it (docs/specification.md §6): its definition — a description that
 * teaches a calling LLM to write plans, the plan's JSON Schema as input — and the compact report it
 * answers with, long result text cut so the caller spends fewer tokens.
 */
import { z } from 'zod';
import { batchPlanSchema } from '../../../shared/batch-plan.js';
import { resultText } from './references.js';
import type { RunReport, TaskReport } from './run-report.js';

export const BATCH_TOOL_NAME = 'batch_execute';

function description(example: { first: string; second: string; third: string }): string {
  return [
    'Runs many tool calls in one go, in parallel where possible, and returns one compact report.',
    `Give "tasks": each has a unique "id", a "tool" (${example.first === 'list_issues' ? 'a tool of this server' : 'a tool name as listed, e.g. github__list_issues'}) and its "arguments".`,
    'Tasks without dependencies run at once (up to "maxConcurrency", default 32).',
    'Use a result in later arguments: "{{id.text}}" (its text), "{{id.structuredContent.items[0].number}}" (a path into its structured result), "{{id}}" (structured result, else text).',
    'A string that is exactly one reference keeps the JSON type (number, array…); inside a longer string it becomes text. Each reference makes the task wait for that one.',
    'Add "dependsOn": ["id"] to wait for a task without using its result.',
    '"onError": "continue" (default) skips only the dependents of a failed task; "stop" halts the rest.',
    '"output": ["id"] names the tasks whose results you want back (default: the tasks no other task depends on); the others still run and feed their dependents, but the report gives only their status.',
    `Example: {"tasks":[{"id":"a","tool":"${example.first}","arguments":{}},{"id":"b","tool":"${example.second}","arguments":{}},{"id":"c","tool":"${example.third}","arguments":{"text":"{{a.text}} / {{b.structuredContent.total}}"}}]}`,
    'The whole plan is checked first (unknown tools, bad arguments, cycles); nothing runs if anything is wrong.',
  ].join('\n');
}

let inputSchema: Record<string, unknown> | undefined;
const definitions = new Map<'aggregate' | 'server', Record<string, unknown>>();

/** The tool definition: `scope` is `aggregate` (namespaced names) or `server` (plain names). One object per scope. */
export function batchToolDefinition(scope: 'aggregate' | 'server'): Record<string, unknown> {
  let definition = definitions.get(scope);
  if (!definition) definitions.set(scope, (definition = makeDefinition(scope)));
  return definition;
}

function makeDefinition(scope: 'aggregate' | 'server'): Record<string, unknown> {
  inputSchema ??= z.toJSONSchema(batchPlanSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const example =
    scope === 'aggregate'
      ? { first: 'github__list_issues', second: 'github__list_pull_requests', third: 'notion__create_page' }
      : { first: 'list_issues', second: 'list_pull_requests', third: 'create_page' };
  return {
    name: BATCH_TOOL_NAME,
    title: 'Run a batch of tool calls',
    description: description(example),
    inputSchema,
    annotations: { title: 'Run a batch of tool calls', readOnlyHint: false, openWorldHint: true },
  };
}

/** One task in the report. */
export interface CompactTask {
  id: string;
  tool: string;
  status: TaskReport['status'];
  durationMs?: number;
  attempts?: number;
  /** The result's text, cut to the limit. */
  text?: string;
  structuredContent?: unknown;
  isError?: boolean;
  /** Set when text or structured content was cut. */
  truncated?: true;
  error?: TaskReport['error'];
  reason?: string;
}

/** What `batch_execute` answers with, as text (JSON) and as `structuredContent`. */
export interface CompactReport {
  runId: string;
  status: RunReport['status'];
  wallTimeMs: number;
  taskTimeMs: number;
  speedup: number;
  tasks: CompactTask[];
  /** Set when the plan named its `output`: the tasks whose results the report holds. */
  output?: string[];
  warnings?: string[];
}

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Cuts `text` to `max` characters, with a note of how much was left out. */
export function truncateText(text: string, max: number): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  return { text: `${text.slice(0, max)}… [truncated: ${text.length - max} more characters]`, truncated: true };
}

/** A task's result as the report and the runs table keep it: text cut to `maxChars`, structured content whole or not at all. */
export interface ShortResult {
  text?: string;
  structuredContent?: unknown;
  isError?: true;
  /** Set when text or structured content was cut. */
  truncated?: true;
}

/** Shortens one result to what goes back (and is stored): its text cut, its structured content kept only when it fits. */
export function shortResult(result: NonNullable<TaskReport['result']>, maxChars: number): ShortResult {
  const short: ShortResult = {};
  const cut = truncateText(resultText(result), maxChars);
  if (cut.text) short.text = cut.text;
  let truncated = cut.truncated;
  if (result.structuredContent !== undefined) {
    // Structured content is kept whole when it fits; a cut JSON would be of no use.
    if (JSON.stringify(result.structuredContent).length <= maxChars) short.structuredContent = result.structuredContent;
    else truncated = true;
  }
  if (result.isError === true) short.isError = true;
  if (truncated) short.truncated = true;
  return short;
}

function compactTask(task: TaskReport, maxChars: number, wanted: boolean): CompactTask {
  const compact: CompactTask = { id: task.id, tool: task.tool, status: task.status };
  if (task.durationMs !== undefined) compact.durationMs = round(task.durationMs);
  if (task.attempts > 1) compact.attempts = task.attempts;
  if (task.result && wanted) Object.assign(compact, shortResult(task.result, maxChars));
  if (task.error) compact.error = task.error;
  if (task.reason) compact.reason = task.reason;
  return compact;
}

/**
 * The report of a finished run, with each task's text cut to `maxChars`. When the run names its
 * `output`, only those tasks carry their result; every task keeps its status, error and reason, so
 * a failure anywhere is still explained.
 */
export function compactReport(runId: string, report: RunReport, maxChars: number, warnings: readonly string[] = []): CompactReport {
  const wanted = report.output ? new Set(report.output) : undefined;
  return {
    runId,
    status: report.status,
    wallTimeMs: round(report.wallTimeMs),
    taskTimeMs: round(report.taskTimeMs),
    speedup: round(report.speedup, 2),
    tasks: report.tasks.map((task) => compactTask(task, maxChars, wanted?.has(task.id) ?? true)),
    ...(report.output ? { output: [...report.output] } : {}),
    ...(warnings.length ? { warnings: [...warnings] } : {}),
  };
}
