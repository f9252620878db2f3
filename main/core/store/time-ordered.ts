/**
 * What the append-only logs (calls, audit) share: pages newest first with an opaque cursor, and
 * retention by age and count. Every such table has `id INTEGER PRIMARY KEY` and `time`.
 */
import type { Database } from 'better-sqlite3';

/** A WHERE clause being built: conditions joined with AND, and their parameters. */
export class Filters {
  readonly clauses: string[] = [];
  readonly params: (string | number)[] = [];

  add(clause: string, ...values: (string | number)[]): this {
    this.clauses.push(clause);
    this.params.push(...values);
    return this;
  }

  /** `since`/`until`/`before` (a cursor of `newestFirst`) as conditions. */
  addTimeRange(query: { since?: number | undefined; until?: number | undefined; before?: string | undefined }): this {
    if (query.since !== undefined) this.add('time >= ?', query.since);
    if (query.until !== undefined) this.add('time < ?', query.until);
    if (query.before !== undefined) {
      const cursor = decodeCursor(query.before);
      this.add('(time, id) < (?, ?)', cursor.time, cursor.id);
    }
    return this;
  }
}

/** One page, newest first (by `time`, then insertion order), and the cursor of the next when there is one. */
export function newestFirst<Row, Item extends { time: number; id: number }>(
  db: Database,
  table: string,
  filters: Filters,
  limit: number,
  toItem: (row: Row) => Item,
): { items: Item[]; nextCursor?: string } {
  const where = filters.clauses.length ? `WHERE ${filters.clauses.join(' AND ')}` : '';
  const rows = db
    .prepare<unknown[], Row>(`SELECT * FROM ${table} ${where} ORDER BY time DESC, id DESC LIMIT ?`)
    .all(...filters.params, limit + 1);
  const items = rows.slice(0, limit).map(toItem);
  const last = items.at(-1);
  return rows.length > limit && last ? { items, nextCursor: `${last.time}.${last.id}` } : { items };
}

/** Deletes rows older than `maxAgeMs` and all but the newest `maxRows`, in one transaction. Returns how many went. */
export function pruneByAgeAndCount(
  db: Database,
  table: string,
  options: { maxAgeMs: number; maxRows: number; now?: number | undefined },
): number {
  const cutoff = (options.now ?? Date.now()) - options.maxAgeMs;
  const keep = Math.max(0, Math.trunc(options.maxRows));
  return db.transaction(() => {
    const byAge = db.prepare(`DELETE FROM ${table} WHERE time < ?`).run(cutoff).changes;
    const byCount = db
      .prepare(`DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} ORDER BY time DESC, id DESC LIMIT -1 OFFSET ?)`)
      .run(keep).changes;
    return byAge + byCount;
  })();
}

function decodeCursor(cursor: string): { time: number; id: number } {
  const match = /^(-?\d+)\.(\d+)$/.exec(cursor);
  if (!match) throw new RangeError(`invalid cursor: ${JSON.stringify(cursor)}`);
  return { time: Number(match[1]), id: Number(match[2]) };
}
