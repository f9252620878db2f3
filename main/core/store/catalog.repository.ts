/**
 * The tool catalog cache (docs/specification.md §5): the last lists each server returned, kept as JSON text so the
 * dashboard and the aggregate endpoint can show them at once on the next start, before servers are up.
 * Items are opaque: whatever `tools/list` and friends returned, byte for byte after a JSON round trip.
 */
import type { Database } from 'better-sqlite3';
import { LIST_KINDS, type CatalogItem, type ListKind } from '../../../shared/catalog.js';

/**
 * What is cached for one server. Not the registry's `CachedCatalog`: that is the live view, every
 * list present and a `cached` flag; here a kind never saved is absent (not the same as an empty
 * list) and `updatedAt` is the latest save of any kind (ms epoch).
 */
export type CachedCatalog = { server: string; updatedAt: number } & Partial<Record<ListKind, CatalogItem[]>>;

interface CatalogRow {
  server: string;
  kind: ListKind;
  items: string;
  updated_at: number;
}

const KINDS: ReadonlySet<string> = new Set<ListKind>(LIST_KINDS);

export class CatalogRepository {
  constructor(private readonly db: Database) {}

  /** Replaces the cached `kind` list of `server`. */
  save(server: string, kind: ListKind, items: readonly object[], now: number = Date.now()): void {
    if (!KINDS.has(kind)) throw new RangeError(`unknown catalog kind: ${String(kind)}`);
    this.db
      .prepare(
        `INSERT INTO catalog (server, kind, items, updated_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (server, kind) DO UPDATE SET items = excluded.items, updated_at = excluded.updated_at`,
      )
      .run(server, kind, JSON.stringify(items), Math.trunc(now));
  }

  /** The cached catalog of `server`, or undefined if nothing was saved. */
  load(server: string): CachedCatalog | undefined {
    const rows = this.db.prepare<[string], CatalogRow>('SELECT * FROM catalog WHERE server = ?').all(server);
    return group(rows).get(server);
  }

  /** Every cached catalog, by server name. */
  loadAll(): Map<string, CachedCatalog> {
    return group(this.db.prepare<[], CatalogRow>('SELECT * FROM catalog ORDER BY server').all());
  }

  /** Forgets `server` (e.g. removed from the config). Returns true if anything was cached. */
  remove(server: string): boolean {
    return this.db.prepare('DELETE FROM catalog WHERE server = ?').run(server).changes > 0;
  }
}

function group(rows: readonly CatalogRow[]): Map<string, CachedCatalog> {
  const catalogs = new Map<string, CachedCatalog>();
  for (const row of rows) {
    let catalog = catalogs.get(row.server);
    if (!catalog) {
      catalog = { server: row.server, updatedAt: row.updated_at };
      catalogs.set(row.server, catalog);
    }
    if (!KINDS.has(row.kind)) continue;
    catalog[row.kind] = JSON.parse(row.items) as CatalogItem[];
    catalog.updatedAt = Math.max(catalog.updatedAt, row.updated_at);
  }
  return catalogs;
}
