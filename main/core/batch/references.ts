/**
 * What the references of a batch plan (shared/plan-references.ts) resolve to at run time
 * (docs/specification.md §6): a string that is exactly one reference takes the referenced JSON
 * value with its type; a reference inside a longer string is replaced by its text (objects and
 * arrays as JSON).
 */
import { formatPath, type PathSegment, type Template } from '../../../shared/plan-references.js';

/** A tool call result as MCP defines it (`CallToolResult`); extra members are kept. */
export interface ToolResult {
  content?: unknown[];
  structuredContent?: unknown;
  isError?: boolean;
  [key: string]: unknown;
}

/** The first segments a path may start with, beside the virtual `text`. */
export const RESULT_MEMBERS = ['text', 'content', 'structuredContent', 'isError', '_meta'] as const;

/** The text of a result: its `text` content items joined with newlines. */
export function resultText(result: ToolResult): string {
  const content = Array.isArray(result.content) ? result.content : [];
  return content
    .filter((item): item is { type: 'text'; text: string } => isRecord(item) && item.type === 'text' && typeof item.text === 'string')
    .map((item) => item.text)
    .join('\n');
}

export type Resolution = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * The value a path names in a result. `[]` is the result's value: `structuredContent` when it has
 * one, else its text. `text` is the joined text, `isError` false when absent; `length` works on
 * arrays and strings.
 */
export function resolvePath(result: ToolResult, path: readonly PathSegment[]): Resolution {
  let value: unknown;
  let rest = path;
  if (path.length === 0) return { ok: true, value: result.structuredContent !== undefined ? result.structuredContent : resultText(result) };
  if (path[0] === 'text') {
    value = resultText(result);
    rest = path.slice(1);
  } else if (path[0] === 'isError') {
    // Absent means false (MCP's default).
    value = result.isError === true;
    rest = path.slice(1);
  } else {
    value = result;
  }
  let walked = path.length - rest.length;
  for (const segment of rest) {
    const next = step(value, segment);
    if (next === undefined) return { ok: false, message: `the result has no ${formatPath(path.slice(0, walked + 1))}` };
    value = next.value;
    walked += 1;
  }
  return { ok: true, value };
}

function step(value: unknown, segment: PathSegment): { value: unknown } | undefined {
  if (typeof segment === 'number') {
    return Array.isArray(value) && segment < value.length ? { value: value[segment] } : undefined;
  }
  if (segment === 'length' && (Array.isArray(value) || typeof value === 'string')) return { value: value.length };
  if (isRecord(value) && Object.hasOwn(value, segment) && value[segment] !== undefined) return { value: value[segment] };
  return undefined;
}

/** Looks up a finished task's result by id. */
export type ResultLookup = (taskId: string) => ToolResult | undefined;

/** The value of one template: typed for a whole-string reference, else a string. */
export function renderTemplate(template: Template, results: ResultLookup): Resolution {
  let text = '';
  for (const part of template.parts) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    const result = results(part.taskId);
    if (!result) return { ok: false, message: `${part.source}: task "${part.taskId}" has no result` };
    const resolved = resolvePath(result, part.path);
    if (!resolved.ok) return { ok: false, message: `${part.source}: ${resolved.message}` };
    if (template.whole) return resolved;
    text += typeof resolved.value === 'string' ? resolved.value : JSON.stringify(resolved.value);
  }
  return { ok: true, value: text };
}

/**
 * The arguments with every template replaced. Untouched branches are shared with the input; the
 * input is never changed. Fails on the first reference whose path the result does not have.
 */
export function substitute(
  args: Record<string, unknown>,
  templates: readonly Template[],
  results: ResultLookup,
): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  let output: unknown = args;
  for (const template of templates) {
    const rendered = renderTemplate(template, results);
    if (!rendered.ok) return rendered;
    output = setAt(output, template.at, rendered.value, args);
  }
  return { ok: true, value: output as Record<string, unknown> };
}

/** Sets a value at a path, copying each container on the way the first time it is written. */
function setAt(root: unknown, at: readonly PathSegment[], value: unknown, original: unknown): unknown {
  if (at.length === 0) return value;
  const [head, ...tail] = at as [PathSegment, ...PathSegment[]];
  const container = root as Record<PathSegment, unknown>;
  const source = original as Record<PathSegment, unknown>;
  const copy = (root === original ? (Array.isArray(root) ? [...(root as unknown[])] : { ...container }) : container) as Record<
    PathSegment,
    unknown
  >;
  copy[head] = setAt(container[head], tail, value, source[head]);
  return copy;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
