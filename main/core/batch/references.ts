/**
 * References between the tasks of a batch plan (docs/specification.md §6): `{{id}}`, `{{id.text}}`,
 * `{{id.structuredContent.a.b[0]}}`, `{{id.content[1].text}}`, `{{id.isError}}`. A string that is
 * exactly one reference takes the referenced JSON value with its type; a reference inside a longer
 * string is replaced by its text (objects and arrays as JSON). `\{{` writes a literal `{{`.
 */

/** One step of a path: an object key or an array index. */
export type PathSegment = string | number;

/** A tool call result as MCP defines it (`CallToolResult`); extra members are kept. */
export interface ToolResult {
  content?: unknown[];
  structuredContent?: unknown;
  isError?: boolean;
  [key: string]: unknown;
}

/** A parsed `{{…}}` reference. */
export interface Reference {
  /** The reference as written, braces included, for messages. */
  source: string;
  taskId: string;
  /** The path inside the task's result; empty for `{{id}}`. */
  path: PathSegment[];
}

/** A string of the arguments that holds references or escapes. */
export interface Template {
  /** Where the string sits in the arguments. */
  at: PathSegment[];
  /** Literal text and references, in order. */
  parts: (string | Reference)[];
  /** The string is exactly one reference: the value keeps its JSON type. */
  whole: boolean;
}

/** A `{{…}}` that starts like a reference but does not parse as one (`{{a.content[x]}}`). */
export interface MalformedReference {
  at: PathSegment[];
  source: string;
  /** The task id it seems to name. */
  taskId: string;
}

/** The first segments a path may start with, beside the virtual `text`. */
export const RESULT_MEMBERS = ['text', 'content', 'structuredContent', 'isError', '_meta'] as const;

const BRACES = /(\\?)\{\{([^{}]*)\}\}/g;
const STRICT = /^\s*([A-Za-z0-9_-]{1,64})((?:\.[^\s.[\]{}"]+|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*)\s*$/;
const SEGMENT = /\.([^\s.[\]{}"]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
const LOOKS_LIKE_REFERENCE = /^\s*([A-Za-z0-9_-]{1,64})\s*[.[]/;

/** Parses the inside of `{{…}}`; undefined when it is not a reference. */
export function parseReference(inner: string): Reference | undefined {
  const match = STRICT.exec(inner);
  if (!match) return undefined;
  const path: PathSegment[] = [];
  for (const segment of match[2]!.matchAll(SEGMENT)) {
    if (segment[1] !== undefined) path.push(segment[1]);
    else if (segment[2] !== undefined) path.push(Number(segment[2]));
    else path.push(JSON.parse(segment[3]!) as string);
  }
  return { source: `{{${inner}}}`, taskId: match[1]!, path };
}

/** Splits one string into literal text and references; undefined when it holds neither a reference nor an escape. */
export function parseTemplate(text: string, at: PathSegment[] = [], malformed?: MalformedReference[]): Template | undefined {
  if (!text.includes('{{')) return undefined;
  const parts: (string | Reference)[] = [];
  let literal = '';
  let last = 0;
  let changed = false;
  for (const match of text.matchAll(BRACES)) {
    const [whole, escape, inner] = match as unknown as [string, string, string];
    literal += text.slice(last, match.index);
    last = match.index + whole.length;
    const reference = escape ? undefined : parseReference(inner);
    if (escape) {
      literal += whole.slice(1);
      changed = true;
    } else if (reference) {
      if (literal) parts.push(literal);
      literal = '';
      parts.push(reference);
      changed = true;
    } else {
      const suspect = LOOKS_LIKE_REFERENCE.exec(inner);
      if (suspect && malformed) malformed.push({ at, source: whole, taskId: suspect[1]! });
      literal += whole;
    }
  }
  if (!changed) return undefined;
  literal += text.slice(last);
  if (literal) parts.push(literal);
  return { at, parts, whole: parts.length === 1 && typeof parts[0] !== 'string' };
}

/** Every template in a task's arguments, deep (object values and array items; keys are literal). */
export function findTemplates(args: unknown, malformed?: MalformedReference[]): Template[] {
  const templates: Template[] = [];
  const visit = (value: unknown, at: PathSegment[]): void => {
    if (typeof value === 'string') {
      const template = parseTemplate(value, at, malformed);
      if (template) templates.push(template);
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...at, index]));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) visit(item, [...at, key]);
    }
  };
  visit(args, []);
  return templates;
}

/** The references of some templates. */
export function referencesOf(templates: readonly Template[]): Reference[] {
  return templates.flatMap((template) => template.parts.filter((part): part is Reference => typeof part !== 'string'));
}

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

/** A path as written in a reference: `structuredContent.items[0]`. */
export function formatPath(path: readonly PathSegment[]): string {
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (/^[^\s.[\]{}"]+$/.test(segment)) return index === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
