/**
 * The audit log (docs/specification.md §7): who did what, to what, when, and how it ended — every mutating API call
 * and every tool call. Tool calls are frequent, so `record` only queues (see `BatchWriter`) and the
 * rows reach SQLite in batches, one transaction each.
 */
import type { Database, Statement } from 'better-sqlite3';
import { BatchWriter, type BatchWriterOptions, type BatchWriterStats } from './batch-writer.js';
import { RECORDED_TEXT_LIMITS, clipped } from './recorded-text.js';
import { Filters, newestFirst, pruneByAgeAndCount } from './time-ordered.js';

/** How an audited action ended: done, failed, or refused by authorisation. */
export type AuditOutcome = 'ok' | 'error' | 'denied';

/** One audited action. */
export interface AuditEntry {
  /** ms epoch. */
  time: number;
  /** The key's id; absent when no key was presented. */
  keyId?: string | undefined;
  /** The key's name, e.g. `cline`, `(bootstrap)`, `(session)`. */
  keyName?: string | undefined;
  /** What was done, e.g. `servers.restart`, `tokens.create`, `tools/call`. */
  action: string;
  /** What it was done to, e.g. a server name or `github__create_issue`. */
  target?: string | undefined;
  outcome: AuditOutcome;
  /** A little context (arguments' shape, error message). Never secrets; cut beyond 4 KB of JSON. */
  details?: unknown;
}

/** An entry as read back, with its row id. */
export interface AuditRecord extends AuditEntry {
  id: number;
}

export interface AuditQuery {
  keyName?: string | undefined;
  /** Exact action, or a prefix ending in `*`: `servers.*`. */
  action?: string | undefined;
  target?: string | undefined;
  outcome?: AuditOutcome | undefined;
  /** Inclusive lower bound on `time` (ms epoch). */
  since?: number | undefined;
  /** Exclusive upper bound on `time` (ms epoch). */
  until?: number | undefined;
  /** Page size, 1 … 1000; default 100. */
  limit?: number | undefined;
  /** `nextCursor` of the previous page. */
  before?: string | undefined;
}

/** One page of entries, newest first; `nextCursor` is set while older ones may remain. */
export interface AuditPage {
  items: AuditRecord[];
  nextCursor?: string | undefined;
}

export interface AuditPruneOptions {
  /** Entries older than this are deleted. */
  maxAgeMs: number;
  /** Only the newest `maxRows` entries are kept. */
  maxRows: number;
  /** "Now", for tests; default `Date.now()`. */
  now?: number;
}

interface AuditRow {
  id: number;
  time: number;
  key_id: string | null;
  key_name: string | null;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  details: string | null;
}

/** Longest `details` JSON stored; anything longer keeps a preview. */
export const MAX_AUDIT_DETAILS = 4_096;
const MAX_PAGE = 1000;

export class AuditRepository {
  private readonly writer: BatchWriter<AuditEntry>;
  private readonly insert: Statement<unknown[]>;

  /** Fires after each committed batch with its row count. */
  readonly onDidFlush: BatchWriter<AuditEntry>['onDidFlush'];
  /** Fires when a batch could not be written (see `BatchWriter.onDidFail`). */
  readonly onDidFail: BatchWriter<AuditEntry>['onDidFail'];

  constructor(
    private readonly db: Database,
    options: BatchWriterOptions = {},
  ) {
    this.insert = db.prepare('INSERT INTO audit (time, key_id, key_name, action, target, outcome, details) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const writeBatch = db.transaction((entries: readonly AuditEntry[]) => {
      for (const e of entries) {
        this.insert.run(
          Math.trunc(e.time) || 0,
          e.keyId ?? null,
          e.keyName ?? null,
          e.action,
          e.target ?? null,
          e.outcome,
          serialiseDetails(e.details),
        );
      }
    });
    this.writer = new BatchWriter<AuditEntry>((entries) => writeBatch(entries), options);
    this.onDidFlush = this.writer.onDidFlush;
    this.onDidFail = this.writer.onDidFail;
  }

  /** Queues `entry` for the next batch and returns at once. Do not mutate `entry` afterwards. */
  /** Queues `entry`; its target (a client may choose the tool name in it) is bounded first. */
  record(entry: AuditEntry): void {
    this.writer.push({ ...entry, target: clipped(entry.target, 2 * RECORDED_TEXT_LIMITS.nameChars + 2) });
  }

  /** Writes every queued entry now. Returns how many; throws if the database fails. */
  flush(): number {
    return this.writer.flush();
  }

  /** Queue counters: queued, dropped, written, batches. */
  get queueStats(): BatchWriterStats {
    return this.writer.stats;
  }

  /** Entries matching `query`, newest first (by `time`, then insertion order). Sees only flushed rows. */
  list(query: AuditQuery = {}): AuditPage {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 100), 1), MAX_PAGE);
    const filters = new Filters();
    if (query.keyName !== undefined) filters.add('key_name = ?', query.keyName);
    if (query.action !== undefined) {
      if (query.action.endsWith('*')) filters.add("action LIKE ? ESCAPE '\\'", `${escapeLike(query.action.slice(0, -1))}%`);
      else filters.add('action = ?', query.action);
    }
    if (query.target !== undefined) filters.add('target = ?', query.target);
    if (query.outcome !== undefined) filters.add('outcome = ?', query.outcome);
    filters.addTimeRange(query);
    return newestFirst(this.db, 'audit', filters, limit, toRecord);
  }

  /** Deletes entries older than `maxAgeMs` and all but the newest `maxRows`. Returns how many went. */
  prune(options: AuditPruneOptions): number {
    return pruneByAgeAndCount(this.db, 'audit', options);
  }

  /** Flushes what is queued (failures go to `onDidFail`) and stops accepting entries. Idempotent. */
  close(): void {
    this.writer.close();
  }
}

/** `details` as JSON text of at most about `MAX_AUDIT_DETAILS` characters; a longer value keeps a preview. */
function serialiseDetails(details: unknown): string | null {
  if (details === undefined) return null;
  let json: string | undefined;
  try {
    json = JSON.stringify(details);
  } catch {
    json = JSON.stringify({ unserialisable: true });
  }
  if (json === undefined) return null;
  if (json.length <= MAX_AUDIT_DETAILS) return json;
  // Escaping can at most double the preview, which keeps the result under the limit.
  return JSON.stringify({ truncated: true, preview: json.slice(0, MAX_AUDIT_DETAILS / 2 - 64) });
}

function toRecord(row: AuditRow): AuditRecord {
  const record: AuditRecord = { id: row.id, time: row.time, action: row.action, outcome: row.outcome };
  if (row.key_id !== null) record.keyId = row.key_id;
  if (row.key_name !== null) record.keyName = row.key_name;
  if (row.target !== null) record.target = row.target;
  if (row.details !== null) record.details = JSON.parse(row.details) as unknown;
  return record;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
