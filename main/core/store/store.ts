/**
 * The SQLite store (docs/specification.md §8): one database handle and the repositories over it. The owner (the
 * runtime) opens it once, hands the repositories to whoever needs them, and closes it on dispose.
 */
import type { Database } from 'better-sqlite3';
import { Emitter } from '../events/emitter.js';
import { AuditRepository } from './audit.repository.js';
import type { BatchWriterOptions } from './batch-writer.js';
import { CallsRepository } from './calls.repository.js';
import { CatalogRepository } from './catalog.repository.js';
import { openDatabase, type OpenDatabaseOptions } from './database.js';
import { PidsRepository } from './pids.repository.js';
import { PlanCacheRepository } from './plan-cache.repository.js';
import { RunsRepository } from './runs.repository.js';
import { ServerEventsRepository } from './server-events.repository.js';
import { TokensRepository } from './tokens.repository.js';
import type { UsageCounterOptions } from './usage-counter.js';

/** How much history to keep. */
export interface StoreRetention {
  /** Calls and server events older than this are deleted. */
  maxAgeMs: number;
  /** The call log keeps at most this many rows. */
  maxCalls: number;
  /** The server event log keeps at most this many rows; default 10,000. */
  maxServerEvents?: number;
  /** Audit entries older than this are deleted; default 90 days. */
  maxAuditAgeMs?: number;
  /** The audit log keeps at most this many rows; default 100,000. */
  maxAuditEntries?: number;
}

/** Rows deleted by one `prune`. */
export interface PruneResult {
  calls: number;
  serverEvents: number;
  audit: number;
}

export interface StoreOptions extends OpenDatabaseOptions {
  /** Retention applied on open and then every `pruneIntervalMs`; default 30 days / 100,000 calls. */
  retention?: StoreRetention;
  /** Default one hour. */
  pruneIntervalMs?: number;
  /** Batching of the call log. */
  callLog?: BatchWriterOptions;
  /** Batching of the audit log. */
  auditLog?: BatchWriterOptions;
  /** Batching of the task progress of runs (default: 200 ms, as the call log). */
  runProgress?: BatchWriterOptions;
  /** How often API-key usage counters are written. */
  keyUsage?: UsageCounterOptions;
}

const DAY_MS = 86_400_000;
const DEFAULT_AUDIT_AGE_MS = 90 * DAY_MS;
/** The defaults of `orch.retention` (30 days, 100,000 calls). */
export const DEFAULT_RETENTION: StoreRetention = { maxAgeMs: 30 * DAY_MS, maxCalls: 100_000, maxServerEvents: 10_000 };

/** Converts `orch.retention` of the config (days, maxCalls) to a `StoreRetention`. */
export function retentionFromConfig(retention: { days: number; maxCalls: number }): StoreRetention {
  return { maxAgeMs: retention.days * DAY_MS, maxCalls: retention.maxCalls, maxServerEvents: DEFAULT_RETENTION.maxServerEvents };
}

export class Store {
  /** The call log; `record` only queues. */
  readonly calls: CallsRepository;
  /** Server lifecycle history. */
  readonly serverEvents: ServerEventsRepository;
  /** The tool catalog cache. */
  readonly catalog: CatalogRepository;
  /** Children to reap after a crash (see `reapOrphans`). */
  readonly pids: PidsRepository;
  /** API keys; usage counters are written in batches. */
  readonly tokens: TokensRepository;
  /** The audit log; `record` only queues. */
  readonly audit: AuditRepository;
  /** Batch runs. */
  readonly runs: RunsRepository;
  /** The planner's plan cache and its hit and miss counters. */
  readonly planCache: PlanCacheRepository;

  private retention: StoreRetention;
  private readonly errorEmitter = new Emitter<Error>();
  private readonly pruneTimer: NodeJS.Timeout;
  private closed = false;

  /** Background failures: a call-log, audit or key-usage batch that could not be written, a scheduled prune that failed. */
  readonly onDidError = this.errorEmitter.event;

  /** Opens (creating and migrating) the database at `path` and prunes it; `:memory:` for a throwaway store. */
  static open(path: string, options: StoreOptions = {}): Store {
    const db = openDatabase(path, options);
    try {
      return new Store(db, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private constructor(
    /** The handle, for repositories added later; do not close it directly. */
    readonly db: Database,
    options: StoreOptions,
  ) {
    this.retention = options.retention ?? DEFAULT_RETENTION;
    this.calls = new CallsRepository(db, options.callLog);
    this.serverEvents = new ServerEventsRepository(db);
    this.catalog = new CatalogRepository(db);
    this.pids = new PidsRepository(db);
    this.tokens = new TokensRepository(db, options.keyUsage);
    this.audit = new AuditRepository(db, options.auditLog);
    this.runs = new RunsRepository(db, options.runProgress);
    this.planCache = new PlanCacheRepository(db);
    this.calls.onDidFail((error) => this.errorEmitter.fire(error));
    this.tokens.onDidFail((error) => this.errorEmitter.fire(error));
    this.audit.onDidFail((error) => this.errorEmitter.fire(error));
    this.runs.onDidFail((error) => this.errorEmitter.fire(error));
    this.prune();
    this.pruneTimer = setInterval(() => this.pruneInBackground(), options.pruneIntervalMs ?? 3_600_000).unref();
  }

  /** Replaces the retention used by the scheduled prunes (config reload) and applies it now. */
  setRetention(retention: StoreRetention): PruneResult {
    this.retention = retention;
    return this.prune();
  }

  /** Applies `retention` (default: the current one) to calls, server events and the audit log now. */
  prune(retention: StoreRetention = this.retention, now: number = Date.now()): PruneResult {
    const maxAgeMs = retention.maxAgeMs;
    return {
      calls: this.calls.prune({ maxAgeMs, maxRows: retention.maxCalls, now }),
      serverEvents: this.serverEvents.prune({ maxAgeMs, maxRows: retention.maxServerEvents ?? 10_000, now }),
      audit: this.audit.prune({
        maxAgeMs: retention.maxAuditAgeMs ?? DEFAULT_AUDIT_AGE_MS,
        maxRows: retention.maxAuditEntries ?? 100_000,
        now,
      }),
    };
  }

  /** Flushes the call log, the audit log and key usage, then closes the database. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.pruneTimer);
    try {
      this.calls.close();
      this.runs.close();
      this.audit.close();
      this.tokens.close();
      this.db.pragma('optimize');
    } finally {
      this.db.close();
      this.errorEmitter.dispose();
    }
  }

  private pruneInBackground(): void {
    try {
      this.prune();
    } catch (error) {
      this.errorEmitter.fire(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
