/**
 * How a batch plan's strings name the results of other tasks (docs/specification.md §6): `{{id}}`,
 * `{{id.text}}`, `{{id.structuredContent.a.b[0]}}`, `{{id.content[1].text}}`, `{{id["odd key"]}}`.
 * `\{{` writes a literal `{{`. The one reading of references for the batch engine, the planner and
 * the dashboard; what a reference resolves to at run time is the engine's (main/core/batch/references.ts).
 * Runtime-neutral: no node:*, no DOM.
 */

/** One step of a path: an object key or an array index. */
export type PathSegment = string | number;

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

/**
 * A copy of `value` (deep: object values and array items) whose references name other tasks:
 * `rename(id)` for each reference `findTemplates` reads; escapes, malformed references and other
 * text are kept as written.
 */
export function renameReferences(value: unknown, rename: (taskId: string) => string): unknown {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return value;
    return value.replace(BRACES, (whole, escape: string, inner: string) => {
      const reference = escape ? undefined : parseReference(inner);
      if (!reference) return whole;
      const start = inner.indexOf(reference.taskId);
      return `{{${inner.slice(0, start)}${rename(reference.taskId)}${inner.slice(start + reference.taskId.length)}}}`;
    });
  }
  if (Array.isArray(value)) return value.map((item) => renameReferences(item, rename));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renameReferences(item, rename)]));
  return value;
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
