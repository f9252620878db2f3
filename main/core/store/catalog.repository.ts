/**
 * The tool catalog cache (docs/specification.md §5): the last lists each server returned, kept as JSON text so the
 * dashboard and the aggregate endpoint can show them at once on the next start, before servers are up.
 * Items are opaque: whatever `tools/list` and friends returned, byte for byte after a JSON round trip.
 */
import type { Database } from 'better-sqlite3';

export type CatalogItemKind = 'tools' | 'resources' | 'resourceTemplates' | 'prompts';

/** A catalog entry: a tool, resource, resource template or prompt, as the server described it. */
export type CatalogItem = Record<string, unknown>;

/** What is cached for one server. A kind never saved is absent (not the same as an empty list). */
export interface ServerCatalog {
  server: string;
  tools?: CatalogItem[];
  resources?: CatalogItem[];
  resourceTemplates?: CatalogItem[];
  prompts?: CatalogItem[];
  /** The latest save of any kind (ms epoch). */
  updatedAt: number;
}

interface CatalogRow {
  server: string;
  kind: CatalogItemKind;
  items: string;
  updated_at: number;
}

const KINDS: ReadonlySet<string> = new Set<CatalogItemKind>(['tools', 'resources', 'resourceTemplates', 'prompts']);

export class CatalogRepository {
  constructor(private readonly db: Database) {}

  /** Replaces the cached `kind` list of `server`. */
  save(server: string, kind: CatalogItemKind, items: readonly object[], now: number = Date.now()): void {
    if (!KINDS.has(kind)) throw new RangeError(`unknown catalog kind: ${String(kind)}`);
    this.db
      .prepare(
        `INSERT INTO catalog (server, kind, items, updated_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (server, kind) DO UPDATE SET items = excluded.items, updated_at = excluded.updated_at`,
      )
      .run(server, kind, JSON.stringify(items), Math.trunc(now));
  }

  /** The cached catalog of `server`, or undefined if nothing was saved. */
  load(server: string): ServerCatalog | undefined {
    const rows = this.db.prepare<[string], CatalogRow>('SELECT * FROM catalog WHERE server = ?').all(server);
    return group(rows).get(server);
  }

  /** Every cached catalog, by server name. */
  loadAll(): Map<string, ServerCatalog> {
    return group(this.db.prepare<[], CatalogRow>('SELECT * FROM catalog ORDER BY server').all());
  }

  /** Forgets `server` (e.g. removed from the config). Returns true if anything was cached. */
  remove(server: string): boolean {
    return this.db.prepare('DELETE FROM catalog WHERE server = ?').run(server).changes > 0;
  }
}

function group(rows: readonly CatalogRow[]): Map<string, ServerCatalog> {
  const catalogs = new Map<string, ServerCatalog>();
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
