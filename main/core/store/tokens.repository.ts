/**
 * API keys (docs/specification.md §7). Only a hash of each secret is stored, with a short prefix of it to find the
 * row and to show in lists. Key uses are counted in memory and written in batches (`UsageCounter`),
 * so authenticating a request never writes to SQLite.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { Role } from '../../../shared/api/contract.js';
import { UsageCounter, type PendingUsage, type UsageCounterOptions } from './usage-counter.js';

/** A key to insert, as made by the token service. */
export interface NewToken {
  id: string;
  name: string;
  role: Role;
  /** Hex SHA-256 of the secret. */
  secretHash: string;
  /** The first characters of the secret, e.g. `mo_ab12Cd`. */
  prefix: string;
  createdAt: number;
  expiresAt?: number | undefined;
  allow: readonly string[];
  deny: readonly string[];
  /** Undefined: no limit. */
  rateLimitPerMinute?: number | undefined;
}

/** A key as read back: everything but the hash. */
export interface TokenRecord {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: number;
  expiresAt?: number;
  revokedAt?: number;
  /** The id of the key that replaced this one in a rotation. */
  replacedBy?: string;
  /** Until when a rotated key keeps working. */
  graceUntil?: number;
  allow: string[];
  deny: string[];
  rateLimitPerMinute?: number;
  /** Uses so far, including those of this process not yet written. */
  usageCount: number;
  lastUsedAt?: number;
}

/** A key with its hash, for authentication only. */
export interface StoredToken {
  record: TokenRecord;
  secretHash: string;
}

export interface TokenListQuery {
  /** Include revoked and expired keys, and rotated ones past their grace. Default false. */
  all?: boolean | undefined;
  /** "Now", to tell what has expired; default `Date.now()`. */
  now?: number | undefined;
}

/** Raised when a live key already has the name. */
export class NameTakenError extends Error {
  constructor(readonly keyName: string) {
    super(`a key named "${keyName}" already exists: revoke or rotate it, or choose another name`);
    this.name = 'NameTakenError';
  }
}

/** Raised by `rotate` when the key is revoked or already replaced. */
export class NotLiveError extends Error {
  constructor(
    readonly keyId: string,
    reason: string,
  ) {
    super(reason);
    this.name = 'NotLiveError';
  }
}

interface TokenRow {
  id: string;
  name: string;
  role: Role;
  secret_hash: string;
  prefix: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  replaced_by: string | null;
  grace_until: number | null;
  allow: string;
  deny: string;
  rate_limit_per_minute: number | null;
  usage_count: number;
  last_used_at: number | null;
}

const LIVE = 'revoked_at IS NULL AND replaced_by IS NULL';
/** Prefixes whose lookups `findByPrefix` remembers at most (unknown ones included). */
const MAX_CACHED_PREFIXES = 1_000;

export class TokensRepository {
  private readonly usage: UsageCounter;
  private readonly insertRow: Statement<unknown[]>;
  private readonly byId: Statement<[string], TokenRow>;
  private readonly liveByName: Statement<[string], TokenRow>;
  private readonly byPrefix: Statement<[string], TokenRow>;
  private readonly dataVersion: Statement<[], number>;
  /** `findByPrefix` answers, valid while `cachedVersion` is the database's `data_version`. */
  private readonly prefixCache = new Map<string, StoredToken[]>();
  private cachedVersion: number | undefined;

  /** Fires when usage counters could not be written; they are retried later. */
  readonly onDidFail: UsageCounter['onDidFail'];

  constructor(
    private readonly db: Database,
    options: UsageCounterOptions = {},
  ) {
    this.insertRow =
      db.prepare(`INSERT INTO api_keys (id, name, role, secret_hash, prefix, created_at, expires_at, allow, deny, rate_limit_per_minute)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.byId = db.prepare('SELECT * FROM api_keys WHERE id = ?');
    this.liveByName = db.prepare(`SELECT * FROM api_keys WHERE name = ? AND ${LIVE}`);
    this.byPrefix = db.prepare('SELECT * FROM api_keys WHERE prefix = ?');
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    const addUsage = db.prepare<[number, number, string]>(
      'UPDATE api_keys SET usage_count = usage_count + ?, last_used_at = max(coalesce(last_used_at, 0), ?) WHERE id = ?',
    );
    const writeUsage = db.transaction((usage: ReadonlyMap<string, PendingUsage>) => {
      for (const [id, { count, lastUsedAt }] of usage) addUsage.run(count, lastUsedAt, id);
    });
    this.usage = new UsageCounter((usage) => writeUsage(usage), options);
    this.onDidFail = this.usage.onDidFail;
  }

  /**
   * Inserts `token` unless a live key (neither revoked nor rotated) has its name: then throws
   * `NameTakenError`. A live key of that name that expired by `now` is retired first (marked revoked
   * at its expiry), since it can never work again.
   */
  create(token: NewToken, now: number): TokenRecord {
    return this.db
      .transaction(() => {
        const holder = this.liveByName.get(token.name);
        if (holder) {
          if (holder.expires_at === null || holder.expires_at > now) throw new NameTakenError(token.name);
          this.db.prepare('UPDATE api_keys SET revoked_at = expires_at WHERE id = ?').run(holder.id);
        }
        this.insert(token);
        this.prefixCache.clear();
        return this.get(token.id) as TokenRecord;
      })
      .immediate();
  }

  /** The key with this id. */
  get(id: string): TokenRecord | undefined {
    const row = this.byId.get(id);
    return row && this.toRecord(row);
  }

  /** The live key (neither revoked nor rotated) with this name, expired or not. */
  findLive(name: string): TokenRecord | undefined {
    const row = this.liveByName.get(name);
    return row && this.toRecord(row);
  }

  /**
   * Every key whose secret starts with `prefix`, with its hash: the candidates for a secret. Asked on
   * every request, so answers are remembered until the keys change: through this repository, or in
   * another process (the CLI), which SQLite's `data_version` reveals. The records' usage figures may
   * lag; everything that decides whether a key works is current.
   */
  findByPrefix(prefix: string): StoredToken[] {
    const version = this.dataVersion.get();
    if (version !== this.cachedVersion) {
      this.prefixCache.clear();
      this.cachedVersion = version;
    }
    let found = this.prefixCache.get(prefix);
    if (!found) {
      found = this.byPrefix.all(prefix).map((row) => ({ record: this.toRecord(row), secretHash: row.secret_hash }));
      if (this.prefixCache.size >= MAX_CACHED_PREFIXES) this.prefixCache.clear();
      this.prefixCache.set(prefix, found);
    }
    return found;
  }

  /** Keys by name, newest first within a name; by default only those that still work at `now`. */
  list(query: TokenListQuery = {}): TokenRecord[] {
    const now = query.now ?? Date.now();
    const rows = query.all
      ? this.db.prepare<[], TokenRow>('SELECT * FROM api_keys ORDER BY name, created_at DESC, id').all()
      : this.db
          .prepare<[number, number], TokenRow>(
            `SELECT * FROM api_keys
            WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?) AND (replaced_by IS NULL OR grace_until > ?)
            ORDER BY name, created_at DESC, id`,
          )
          .all(now, now);
    return rows.map((row) => this.toRecord(row));
  }

  /**
   * Revokes the key `id` at `time`, and with it its predecessors still in their rotation grace, so
   * no secret of that key keeps working. Returns the ids revoked (none if it already was).
   */
  revoke(id: string, time: number): string[] {
    this.prefixCache.clear();
    return this.db
      .prepare<[string, number, string, number], { id: string }>(
        `WITH RECURSIVE chain(id) AS (
          SELECT ? UNION SELECT k.id FROM api_keys k JOIN chain c ON k.replaced_by = c.id
        )
        UPDATE api_keys SET revoked_at = ?
        WHERE id IN (SELECT id FROM chain) AND revoked_at IS NULL AND (id = ? OR grace_until > ?)
        RETURNING id`,
      )
      .all(id, time, id, time)
      .map((row) => row.id);
  }

  /**
   * Replaces the live key `oldId` by `next` (same name) in one transaction: the old key keeps working
   * until `graceUntil`. Throws `NotLiveError` if the old key is revoked or already replaced.
   */
  rotate(oldId: string, next: NewToken, graceUntil: number): TokenRecord {
    return this.db
      .transaction(() => {
        const old = this.byId.get(oldId);
        if (!old) throw new NotLiveError(oldId, `no key with id "${oldId}"`);
        if (old.revoked_at !== null) throw new NotLiveError(oldId, `the key "${old.name}" is revoked`);
        if (old.replaced_by !== null)
          throw new NotLiveError(oldId, `the key "${old.name}" (${old.id}) was already rotated: rotate its replacement`);
        this.db.prepare('UPDATE api_keys SET replaced_by = ?, grace_until = ? WHERE id = ?').run(next.id, graceUntil, oldId);
        this.insert({ ...next, name: old.name });
        this.prefixCache.clear();
        return this.get(next.id) as TokenRecord;
      })
      .immediate();
  }

  /** Counts one use of key `id` at `time`, in memory only. */
  recordUse(id: string, time: number): void {
    this.usage.add(id, time);
  }

  /** Writes the pending usage counters now; returns how many keys were updated. Throws on failure. */
  flushUsage(): number {
    return this.usage.flush();
  }

  /** Writes the pending usage counters (failures go to `onDidFail`) and stops counting. Idempotent. */
  close(): void {
    this.usage.close();
  }

  private insert(token: NewToken): void {
    this.insertRow.run(
      token.id,
      token.name,
      token.role,
      token.secretHash,
      token.prefix,
      token.createdAt,
      token.expiresAt ?? null,
      JSON.stringify(token.allow),
      JSON.stringify(token.deny),
      token.rateLimitPerMinute ?? null,
    );
  }

  private toRecord(row: TokenRow): TokenRecord {
    const pending = this.usage.peek(row.id);
    const record: TokenRecord = {
      id: row.id,
      name: row.name,
      role: row.role,
      prefix: row.prefix,
      createdAt: row.created_at,
      allow: parseList(row.allow),
      deny: parseList(row.deny),
      usageCount: row.usage_count + (pending?.count ?? 0),
    };
    if (row.expires_at !== null) record.expiresAt = row.expires_at;
    if (row.revoked_at !== null) record.revokedAt = row.revoked_at;
    if (row.replaced_by !== null) record.replacedBy = row.replaced_by;
    if (row.grace_until !== null) record.graceUntil = row.grace_until;
    if (row.rate_limit_per_minute !== null) record.rateLimitPerMinute = row.rate_limit_per_minute;
    const lastUsedAt = Math.max(row.last_used_at ?? 0, pending?.lastUsedAt ?? 0);
    if (lastUsedAt > 0) record.lastUsedAt = lastUsedAt;
    return record;
  }
}

function parseList(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
