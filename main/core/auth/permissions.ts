/**
 * What a principal may do (docs/specification.md §7): roles ranked admin > operator > viewer, and per-key tool
 * patterns. A pattern names `<server>__<tool>` with a fixed `__` (whatever the aggregate endpoint's
 * separator), `*` for any run of characters and `?` for one: `github__*`, `*__read_*`. A pattern
 * without `__` names servers: `github` is `github__*`. Deny wins over allow; an empty allow list
 * allows every tool.
 *
 * Server and tool are matched separately, never as one joined string, so `github__*` does not
 * match the server `github__enterprise`. A pattern is tried at each of its `__`, so names that
 * contain `__` themselves still work: `github__enterprise__*` splits as `github__enterprise` + `*`.
 */
import { roleAllows } from '../../../shared/api/contract.js';
import type { Principal, Role } from './roles.js';

/** The fixed separator of permission patterns. */
export const PATTERN_SEPARATOR = '__';

/**
 * Whether `role` may do what needs the role `need`: admin ⊇ operator ⊇ viewer. Running tools and
 * batches needs `operator`; an operation's need is its `role` in the API contract.
 */
export function rolePermits(role: Role, need: Role): boolean {
  return roleAllows(role, need);
}

/** `(server, tool) => permitted`, compiled once for many checks. */
export type ToolPredicate = (server: string, tool: string) => boolean;

/** One way to read a pattern: a server part and a tool part. */
interface Split {
  server: RegExp;
  tool: RegExp;
}

/** Why `pattern` is not a valid tool pattern, or undefined when it is. */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'a tool pattern cannot be empty';
  if (pattern.length > 256) return `the tool pattern "${pattern.slice(0, 32)}…" is longer than 256 characters`;
  if (/[\s\p{Cc}]/u.test(pattern)) return `the tool pattern ${JSON.stringify(pattern)} contains whitespace or control characters`;
  return undefined;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}

/** Every reading of `pattern`: one per `__` in it (overlaps included), or the server alone. */
function compilePattern(pattern: string): Split[] {
  const splits: Split[] = [];
  for (let at = pattern.indexOf(PATTERN_SEPARATOR); at !== -1; at = pattern.indexOf(PATTERN_SEPARATOR, at + 1)) {
    splits.push({ server: globToRegExp(pattern.slice(0, at)), tool: globToRegExp(pattern.slice(at + PATTERN_SEPARATOR.length)) });
  }
  if (splits.length === 0) splits.push({ server: globToRegExp(pattern), tool: /^/ });
  return splits;
}

function anyMatch(compiled: readonly Split[][], server: string, tool: string): boolean {
  return compiled.some((splits) => splits.some((split) => split.server.test(server) && split.tool.test(tool)));
}

/** The pattern check of `allow` and `deny`, compiled: deny wins, an empty allow list allows everything. */
export function compileToolPatterns(allow: readonly string[], deny: readonly string[]): ToolPredicate {
  const allowed = allow.map(compilePattern);
  const denied = deny.map(compilePattern);
  return (server, tool) => !anyMatch(denied, server, tool) && (allowed.length === 0 || anyMatch(allowed, server, tool));
}

/** Whether the key's allow/deny patterns let it use `tool` of `server` (patterns only, not the role). */
export function toolPermitted(principal: Pick<Principal, 'allow' | 'deny'>, server: string, tool: string): boolean {
  return compileToolPatterns(principal.allow, principal.deny)(server, tool);
}

/**
 * What the principal may call and therefore see in `tools/list`: its role must allow running tools
 * (operator or admin) and its patterns must allow the tool. Compile once per request, use per tool.
 */
export function toolFilter(principal: Pick<Principal, 'role' | 'allow' | 'deny'>): ToolPredicate {
  if (!rolePermits(principal.role, 'operator')) return () => false;
  return compileToolPatterns(principal.allow, principal.deny);
}

/** Whether the principal may call `tool` of `server`: `toolFilter` for a single check. */
export function canCallTool(principal: Pick<Principal, 'role' | 'allow' | 'deny'>, server: string, tool: string): boolean {
  return toolFilter(principal)(server, tool);
}
