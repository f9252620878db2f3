/**
 * The config text as the visual editor changes it: edits go into the text (JSONC aware), so the
 * raw editor, comments and fields MCP Orch does not know all survive a form edit.
 */
import { applyEdits, modify, parse, type JSONPath, type ParseError } from 'jsonc-parser';
import { formatJsonPath } from '@shared/json-path';

export type Entry = Record<string, unknown>;

const FORMAT = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };

/** The draft parsed, leniently (comments, trailing commas); undefined when it does not parse. */
export function parseDraft(text: string): Record<string, unknown> | undefined {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return value as Record<string, unknown>;
}

/** The servers of a parsed draft, in file order. */
export function serversOf(file: Record<string, unknown> | undefined): [string, Entry][] {
  const servers = file?.mcpServers;
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) return [];
  return Object.entries(servers as Record<string, unknown>).map(([name, entry]) => [
    name,
    typeof entry === 'object' && entry !== null ? (entry as Entry) : {},
  ]);
}

/** `text` with `value` at `path` (`undefined` removes it). */
export function setIn(text: string, path: JSONPath, value: unknown): string {
  const base = text.trim() === '' ? '{}' : text;
  return applyEdits(base, modify(base, path, value, FORMAT));
}

/** The JSON path of a server's field, as issues name it. */
export function fieldPath(server: string, ...rest: (string | number)[]): string {
  return formatJsonPath(['mcpServers', server, ...rest]);
}

/** The issues at `path` or below it. */
export function issuesAt<Issue extends { path: string }>(issues: readonly Issue[], path: string): Issue[] {
  return issues.filter((issue) => issue.path === path || issue.path.startsWith(`${path}.`) || issue.path.startsWith(`${path}[`));
}

/** The server an issue's path names, if any. */
export function serverOfIssue(path: string, servers: readonly string[]): string | undefined {
  return servers.find((server) => issuesAt([{ path }], fieldPath(server)).length > 0);
}

/** A value that refers to the environment is not a secret: it is shown as written. */
export function isReference(value: string): boolean {
  return /^\$\{(env:)?[A-Za-z_][A-Za-z0-9_]*\}$/.test(value.trim());
}

/** The transport an entry names or implies. */
export function transportOfEntry(entry: Entry): 'stdio' | 'sse' | 'streamableHttp' {
  const named = typeof entry.transportType === 'string' ? entry.transportType : typeof entry.type === 'string' ? entry.type : undefined;
  if (named === 'sse') return 'sse';
  if (named && named !== 'stdio') return 'streamableHttp';
  if (named === 'stdio') return 'stdio';
  return typeof entry.url === 'string' ? 'streamableHttp' : 'stdio';
}
