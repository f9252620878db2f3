/**
 * The planner's plan cache: validated plans by key (the normalised request, the catalog version
 * and the model, hashed by the planner), least recently used evicted past a size, with hit and miss
 * counters that survive restarts.
 */
import type { Database } from 'better-sqlite3';

/** A plan to keep. */
export interface CachedPlanEntry {
  key: string;
  /** The request as normalised, for the dashboard. */
  request: string;
  catalogVersion: string;
  model: string;
  plan: unknown;
}

/** Hits and misses since the database was created, and the plans kept now. */
export interface PlanCacheStats {
  hits: number;
  misses: number;
  entries: number;
}

const HITS = 'plan_cache.hits';
const MISSES = 'plan_cache.misses';

/** The plan cache over the store's database; every call is one transaction. */
export class PlanCacheRepository {
  constructor(private readonly db: Database) {}

  /** The plan under `key`, counting a hit (and marking it used) or a miss. */
  get(key: string, now: number = Date.now()): unknown {
    return this.db.transaction(() => {
      const row = this.db.prepare<[string], { plan: string }>('SELECT plan FROM plan_cache WHERE key = ?').get(key);
      this.count(row ? HITS : MISSES);
      if (!row) return undefined;
      this.db.prepare('UPDATE plan_cache SET used_at = ?, hits = hits + 1 WHERE key = ?').run(Math.trunc(now), key);
      return JSON.parse(row.plan) as unknown;
    })();
  }

  /** Keeps a plan (replacing one under the same key), then evicts the least recently used past `maxEntries`. */
  put(entry: CachedPlanEntry, maxEntries: number, now: number = Date.now()): void {
    const at = Math.trunc(now);
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO plan_cache (key, request, catalog_version, model, plan, created_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET plan = excluded.plan, created_at = excluded.created_at, used_at = excluded.used_at, hits = 0`,
        )
        .run(entry.key, entry.request, entry.catalogVersion, entry.model, JSON.stringify(entry.plan), at, at);
      this.db
        .prepare('DELETE FROM plan_cache WHERE key IN (SELECT key FROM plan_cache ORDER BY used_at DESC, key LIMIT -1 OFFSET ?)')
        .run(Math.max(0, maxEntries));
    })();
  }

  /** Forgets one plan (say, one that no longer validates); true when there was one. */
  delete(key: string): boolean {
    return this.db.prepare('DELETE FROM plan_cache WHERE key = ?').run(key).changes > 0;
  }

  /** Forgets every plan; the counters stay. */
  clear(): void {
    this.db.prepare('DELETE FROM plan_cache').run();
  }

  stats(): PlanCacheStats {
    const counter = (name: string): number =>
      this.db.prepare<[string], { value: number }>('SELECT value FROM counters WHERE name = ?').get(name)?.value ?? 0;
    const entries = this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM plan_cache').get()!.n;
    return { hits: counter(HITS), misses: counter(MISSES), entries };
  }

  private count(name: string): void {
    this.db.prepare('INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1').run(name);
  }
}
