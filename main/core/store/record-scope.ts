/**
 * Which records of the call log and the runs a reader may see, as the store applies it: those of
 * some keys only, and only of tools a predicate lets through. Who may see what is decided above
 * the store (operations/visibility.ts); the store only filters.
 */
import type { Database } from 'better-sqlite3';
import type { Filters } from './time-ordered.js';

export interface RecordScope {
  /** Only records made with one of these keys; undefined: every key's. */
  keyIds?: readonly string[] | undefined;
  /** Only records of tools this lets through (records of no tool always pass); undefined: every tool's. */
  visible?: ((server: string, tool: string) => boolean) | undefined;
}

/** The SQL function that asks `scope.visible`, registered for the query about to run. */
export const VISIBLE_FUNCTION = 'orch_visible';

/**
 * Adds the conditions of `scope` to `filters`: `keyColumn IN (…)`, and `orch_visible(server, tool)`
 * over the named columns. The function answers for the query run next on `db` (better-sqlite3 is
 * synchronous, so no other query comes between).
 */
export function applyScope(
  db: Database,
  filters: Filters,
  scope: RecordScope | undefined,
  columns: { key: string; server: string; tool: string },
): void {
  if (!scope) return;
  if (scope.keyIds !== undefined) {
    if (scope.keyIds.length === 0) filters.add('0');
    else filters.add(`${columns.key} IN (${scope.keyIds.map(() => '?').join(', ')})`, ...scope.keyIds);
  }
  if (scope.visible !== undefined) {
    registerVisible(db, scope.visible);
    filters.add(`${VISIBLE_FUNCTION}(${columns.server}, ${columns.tool})`);
  }
}

/** Registers `visible` as the SQL function `orch_visible(server, tool)` for the next query. */
export function registerVisible(db: Database, visible: (server: string, tool: string) => boolean): void {
  db.function(VISIBLE_FUNCTION, { deterministic: false, varargs: false }, (server: unknown, tool: unknown) =>
    typeof tool !== 'string' ? 1 : visible(typeof server === 'string' ? server : '', tool) ? 1 : 0,
  );
}
