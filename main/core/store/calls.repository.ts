/**
 * The call log: one row per proxied request. `record` is on the proxy's hot path, so it only queues
 * (see `BatchWriter`); the rows reach SQLite in batches, one transaction each.
 */
import type { Database, Statement } from 'better-sqlite3';
import { BatchWriter, type BatchWriterOptions, type BatchWriterStats } from './batch-writer.js';
import { computeCallStats, type CallGroupRow, type CallStats, type DurationSample } from './call-stats.js';
import { applyScope, type RecordScope } from './record-scope.js';
import { RECORDED_TEXT_LIMITS, clipped, recordedMethod } from './recorded-text.js';
import { Filters, newestFirst, pruneByAgeAndCount } from './time-ordered.js';

/** One proxied request, as recorded. */
export interface CallEntry {
  /** When the call started (ms epoch). */
  time: number;
  sessionId: string;
  /** The client's name from `initialize`, when known. */
  client?: string | undefined;
  /** The key the call was made with (its id and name), when known. */
  keyId?: string | undefined;
  keyName?: string | undefined;
  server: string;
  /** The tool name of a `tools/call`; absent for other requests. */
  tool?: string | undefined;
  /** The JSON-RPC method (`tools/call`, `resources/read`, …). */
  method: string;
  durationMs: number;
  ok: boolean;
  /** The error message of a failed call. */
  error?: string | undefined;
  bytesIn: number;
  bytesOut: number;
}

/** A call as read back, with its row id. */
export interface CallRecord extends CallEntry {
  id: number;
}

export interface CallQuery {
  /** Which calls the reader may see at all. */
  scope?: RecordScope | undefined;
  server?: string | undefined;
  tool?: string | undefined;
  ok?: boolean | undefined;
  /** Inclusive lower bound on `time` (ms epoch). */
  since?: number | undefined;
  /** Exclusive upper bound on `time` (ms epoch). */
  until?: number | undefined;
  /** Page size, 1 … 1000; default 100. */
  limit?: number | undefined;
  /** `nextCursor` of the previous page. */
  before?: string | undefined;
}

/** One page of calls, newest first; `nextCursor` is set while older rows may remain. */
export interface CallPage {
  items: CallRecord[];
  nextCursor?: string | undefined;
}

export interface CallPruneOptions {
  /** Rows older than this are deleted. */
  maxAgeMs: number;
  /** Only the newest `maxRows` rows are kept. */
  maxRows: number;
  /** "Now", for tests; default `Date.now()`. */
  now?: number;
}

export interface CallStatsQuery {
  /** Which calls the reader may see at all. */
  scope?: RecordScope | undefined;
  /** Inclusive lower bound on `time`; pass one: the cost grows with the rows covered (~1 µs each). */
  since?: number | undefined;
  /** Exclusive upper bound on `time`. */
  until?: number | undefined;
  /** How many of the newest matching calls p95 is computed over; default 10,000. */
  p95Window?: number | undefined;
}

interface CallRow {
  id: number;
  time: number;
  session_id: string;
  client: string | null;
  key_id: string | null;
  key_name: string | null;
  server: string;
  tool: string | null;
  method: string;
  duration_ms: number;
  ok: number;
  error: string | null;
  bytes_in: number;
  bytes_out: number;
}

const MAX_PAGE = 1000;
const SCOPE_COLUMNS = { key: 'key_id', server: 'server', tool: 'tool' };

export class CallsRepository {
  private readonly writer: BatchWriter<CallEntry>;
  private readonly insert: Statement<unknown[]>;

  /** Fires after each committed batch with its row count. */
  readonly onDidFlush: BatchWriter<CallEntry>['onDidFlush'];
  /** Fires when a batch could not be written (see `BatchWriter.onDidFail`). */
  readonly onDidFail: BatchWriter<CallEntry>['onDidFail'];

  constructor(
    private readonly db: Database,
    options: BatchWriterOptions = {},
  ) {
    this.insert =
      db.prepare(`INSERT INTO calls (time, session_id, client, key_id, key_name, server, tool, method, duration_ms, ok, error, bytes_in, bytes_out)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const writeBatch = db.transaction((entries: readonly CallEntry[]) => {
      for (const e of entries) {
        this.insert.run(
          Math.trunc(e.time) || 0,
          e.sessionId,
          e.client ?? null,
          e.keyId ?? null,
          e.keyName ?? null,
          e.server,
          e.tool ?? null,
          e.method,
          Number(e.durationMs) || 0,
          e.ok ? 1 : 0,
          e.error ?? null,
          Math.trunc(e.bytesIn) || 0,
          Math.trunc(e.bytesOut) || 0,
        );
      }
    });
    this.writer = new BatchWriter<CallEntry>((entries) => writeBatch(entries), options);
    this.onDidFlush = this.writer.onDidFlush;
    this.onDidFail = this.writer.onDidFail;
  }

  /** Queues `entry` for the next batch and returns at once. Do not mutate `entry` afterwards. */
  /** Queues `entry`; the names and the error a client chose are bounded first (recorded-text.ts). */
  record(entry: CallEntry): void {
    const { nameChars, errorChars } = RECORDED_TEXT_LIMITS;
    this.writer.push({
      ...entry,
      sessionId: clipped(entry.sessionId, nameChars),
      client: clipped(entry.client, nameChars),
      tool: clipped(entry.tool, nameChars),
      method: recordedMethod(entry.method),
      error: clipped(entry.error, errorChars),
    });
  }

  /** Writes every queued entry now. Returns how many; throws if the database fails. */
  flush(): number {
    return this.writer.flush();
  }

  /** Queue counters: queued, dropped, written, batches. */
  get queueStats(): BatchWriterStats {
    return this.writer.stats;
  }

  /** Calls matching `query`, newest first (by `time`, then insertion order). Sees only flushed rows. */
  list(query: CallQuery = {}): CallPage {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 100), 1), MAX_PAGE);
    const filters = new Filters();
    applyScope(this.db, filters, query.scope, SCOPE_COLUMNS);
    if (query.server !== undefined) filters.add('server = ?', query.server);
    if (query.tool !== undefined) filters.add('tool = ?', query.tool);
    if (query.ok !== undefined) filters.add('ok = ?', query.ok ? 1 : 0);
    filters.addTimeRange(query);
    return newestFirst(this.db, 'calls', filters, limit, toRecord);
  }

  /**
   * Totals overall, per server and per (server, method, tool) since `since`: count, errors and mean
   * duration over every row in [since, until), p95 over the newest `p95Window` of them.
   */
  stats(query: CallStatsQuery = {}): CallStats {
    const filters = new Filters()
      .add('time >= ?', query.since ?? Number.MIN_SAFE_INTEGER)
      .add('time < ?', query.until ?? Number.MAX_SAFE_INTEGER);
    applyScope(this.db, filters, query.scope, SCOPE_COLUMNS);
    const where = filters.clauses.join(' AND ');
    const window = Math.max(1, Math.trunc(query.p95Window ?? 10_000));
    const groups = this.db
      .prepare<(string | number)[], CallGroupRow>(
        `SELECT server, tool, method, COUNT(*) AS count, SUM(ok = 0) AS errors, AVG(duration_ms) AS meanMs
        FROM calls WHERE ${where} GROUP BY server, method, tool ORDER BY server, method, tool`,
      )
      .all(...filters.params);
    const samples = this.db
      .prepare<(string | number)[], DurationSample>(
        `SELECT server, tool, method, duration_ms AS durationMs
        FROM calls WHERE ${where} ORDER BY time DESC, id DESC LIMIT ?`,
      )
      .all(...filters.params, window);
    return computeCallStats(groups, samples);
  }

  /** Deletes rows older than `maxAgeMs` and all but the newest `maxRows`. Returns how many went. */
  prune(options: CallPruneOptions): number {
    return pruneByAgeAndCount(this.db, 'calls', options);
  }

  /** Flushes what is queued (failures go to `onDidFail`) and stops accepting entries. Idempotent. */
  close(): void {
    this.writer.close();
  }
}

function toRecord(row: CallRow): CallRecord {
  const record: CallRecord = {
    id: row.id,
    time: row.time,
    sessionId: row.session_id,
    server: row.server,
    method: row.method,
    durationMs: row.duration_ms,
    ok: row.ok === 1,
    bytesIn: row.bytes_in,
    bytesOut: row.bytes_out,
  };
  if (row.client !== null) record.client = row.client;
  if (row.key_name !== null) record.keyName = row.key_name;
  if (row.tool !== null) record.tool = row.tool;
  if (row.error !== null) record.error = row.error;
  return record;
}

/** A cursor is the position of the last row of a page: its time and id, as `<time>.<id>`. */
