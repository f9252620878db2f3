/** The history of server lifecycles: starts, crashes, restarts, stops (docs/specification.md §4). Rare, so written at once. */
import type { Database, Statement } from 'better-sqlite3';

export type ServerEventKind = 'start' | 'running' | 'crash' | 'restart' | 'exit' | 'failed' | 'stop';

/** One lifecycle event of a server. */
export interface ServerEvent {
  /** ms epoch. */
  time: number;
  server: string;
  kind: ServerEventKind;
  pid?: number | undefined;
  exitCode?: number | undefined;
  signal?: string | undefined;
  message?: string | undefined;
}

/** An event as read back, with its row id. */
export interface ServerEventRecord extends ServerEvent {
  id: number;
}

export interface ServerEventQuery {
  server?: string | undefined;
  /** 1 … 1000; default 100. */
  limit?: number | undefined;
}

export interface ServerEventPruneOptions {
  /** Events older than this are deleted. */
  maxAgeMs: number;
  /** Only the newest `maxRows` events are kept. */
  maxRows: number;
  /** "Now", for tests; default `Date.now()`. */
  now?: number;
}

interface ServerEventRow {
  id: number;
  time: number;
  server: string;
  kind: ServerEventKind;
  pid: number | null;
  exit_code: number | null;
  signal: string | null;
  message: string | null;
}

export class ServerEventsRepository {
  private readonly insert: Statement<unknown[]>;

  constructor(private readonly db: Database) {
    this.insert = db.prepare(
      'INSERT INTO server_events (time, server, kind, pid, exit_code, signal, message) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  /** Writes `event` (one small transaction) and returns its id. */
  record(event: ServerEvent): number {
    const result = this.insert.run(
      Math.trunc(event.time),
      event.server,
      event.kind,
      event.pid ?? null,
      event.exitCode ?? null,
      event.signal ?? null,
      event.message ?? null,
    );
    return Number(result.lastInsertRowid);
  }

  /** Events, newest first, optionally of one server. */
  list(query: ServerEventQuery = {}): ServerEventRecord[] {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 100), 1), 1000);
    const rows =
      query.server === undefined
        ? this.db.prepare<[number], ServerEventRow>('SELECT * FROM server_events ORDER BY time DESC, id DESC LIMIT ?').all(limit)
        : this.db
            .prepare<[string, number], ServerEventRow>('SELECT * FROM server_events WHERE server = ? ORDER BY time DESC, id DESC LIMIT ?')
            .all(query.server, limit);
    return rows.map(toRecord);
  }

  /** Deletes events older than `maxAgeMs` and all but the newest `maxRows`. Returns how many went. */
  prune(options: ServerEventPruneOptions): number {
    const cutoff = (options.now ?? Date.now()) - options.maxAgeMs;
    const keep = Math.max(0, Math.trunc(options.maxRows));
    return this.db.transaction(() => {
      const byAge = this.db.prepare('DELETE FROM server_events WHERE time < ?').run(cutoff).changes;
      const byCount = this.db
        .prepare('DELETE FROM server_events WHERE id IN (SELECT id FROM server_events ORDER BY time DESC, id DESC LIMIT -1 OFFSET ?)')
        .run(keep).changes;
      return byAge + byCount;
    })();
  }
}

function toRecord(row: ServerEventRow): ServerEventRecord {
  const record: ServerEventRecord = { id: row.id, time: row.time, server: row.server, kind: row.kind };
  if (row.pid !== null) record.pid = row.pid;
  if (row.exit_code !== null) record.exitCode = row.exit_code;
  if (row.signal !== null) record.signal = row.signal;
  if (row.message !== null) record.message = row.message;
  return record;
}
