/**
 * The tool registry (docs/specification.md §5): what every server offers — tools, resources, resource templates and
 * prompts, with their schemas and annotations, untouched — kept current by following `list_changed`
 * and restarts, and cached so the aggregate can list a starting server's tools at once.
 */
import { Emitter, type Disposer } from '../events/emitter.js';
import type { RpcResponse } from '../protocol/jsonrpc.js';
import type { ServerState, ServerSupervisor } from '../supervisor/server-supervisor.js';
import type { Supervisor } from '../supervisor/supervisor.js';

import { LIST_KINDS, type CatalogItem, type ListKind } from '../../../shared/catalog.js';

export { LIST_KINDS, type CatalogItem, type ListKind };

/**
 * What one server offers now, as the registry serves it: every list (empty when unknown). The
 * store's `CachedCatalog` is what survives a restart; it seeds this one with `cached` set.
 */
export interface ServerCatalog {
  server: string;
  tools: CatalogItem[];
  resources: CatalogItem[];
  resourceTemplates: CatalogItem[];
  prompts: CatalogItem[];
  /** True while the lists come from the cache (the server is not running yet). */
  cached: boolean;
  updatedAt: number;
}

export interface CatalogChange {
  server: string;
  /** The lists that changed; empty when only `cached` did. */
  kinds: ListKind[];
}

/** Persistence of the last known lists (the SQLite store). */
export interface CatalogCache {
  load(server: string): Partial<Record<ListKind, CatalogItem[]>> | undefined;
  save(server: string, kind: ListKind, items: CatalogItem[]): void;
}

const LIST_METHOD: Record<ListKind, { method: string; capability: string }> = {
  tools: { method: 'tools/list', capability: 'tools' },
  resources: { method: 'resources/list', capability: 'resources' },
  resourceTemplates: { method: 'resources/templates/list', capability: 'resources' },
  prompts: { method: 'prompts/list', capability: 'prompts' },
};

/** States in which a server's cached lists are still shown (it is expected back soon). */
const SHOW_CACHED: ReadonlySet<ServerState> = new Set(['starting', 'crashed', 'backoff']);
const MAX_PAGES = 200;

export class ToolRegistry {
  private readonly catalogs = new Map<string, ServerCatalog>();
  private readonly watched = new Map<string, Disposer[]>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  private disabled = new Map<string, Set<string>>();
  private readonly changeEmitter = new Emitter<CatalogChange>();

  /** Fires when a server's lists (or their cached flag) change. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(private readonly options: { cache?: CatalogCache; disabledTools?: Record<string, string[]> } = {}) {
    this.setDisabledTools(options.disabledTools ?? {}, false);
  }

  /** Follows every server of `supervisor`, now and as they are added (call `watch` for added ones). */
  watchAll(supervisor: Supervisor): void {
    for (const server of supervisor.list()) this.watch(server);
  }

  /** Follows one server: fetches its lists whenever it (re)starts or says they changed. */
  watch(server: ServerSupervisor): void {
    this.unwatch(server.name);
    const cachedLists = this.options.cache?.load(server.name);
    if (cachedLists && server.state !== 'disabled') {
      this.catalogs.set(server.name, { ...emptyCatalog(server.name), ...cachedLists, cached: true });
    }
    const disposers = [
      server.onDidChangeState(({ status }) => this.onState(server, status.state)),
      server.onDidChangeCatalog((kind) => {
        this.refresh(server, kind === 'resources' ? ['resources', 'resourceTemplates'] : [kind]);
      }),
    ];
    this.watched.set(server.name, disposers);
    if (server.state === 'running') this.refresh(server, [...LIST_KINDS]);
  }

  /** Stops following a server and forgets its lists. */
  unwatch(name: string): void {
    for (const dispose of this.watched.get(name) ?? []) dispose();
    this.watched.delete(name);
    if (this.catalogs.delete(name)) this.changeEmitter.fire({ server: name, kinds: [...LIST_KINDS] });
  }

  /** The lists of one server, when known and shown. */
  catalog(server: string): ServerCatalog | undefined {
    return this.catalogs.get(server);
  }

  /** Every shown catalog, in the order servers were watched. */
  all(): ServerCatalog[] {
    return [...this.catalogs.values()];
  }

  /** Whether the user left this tool enabled (`orch.disabledTools`). */
  isToolEnabled(server: string, tool: string): boolean {
    return !this.disabled.get(server)?.has(tool);
  }

  /** The enabled tools of a server. */
  enabledTools(server: string): CatalogItem[] {
    const tools = this.catalogs.get(server)?.tools ?? [];
    const off = this.disabled.get(server);
    return off ? tools.filter((tool) => !off.has(tool.name as string)) : tools;
  }

  /** Replaces the disabled-tool lists; servers whose list changed get a `tools` change. */
  setDisabledTools(disabledTools: Record<string, string[]>, notify = true): void {
    const next = new Map(Object.entries(disabledTools).map(([server, tools]) => [server, new Set(tools)]));
    const servers = new Set([...this.disabled.keys(), ...next.keys()]);
    const previous = this.disabled;
    this.disabled = next;
    if (!notify) return;
    for (const server of servers) {
      const before = [...(previous.get(server) ?? [])].sort().join('\0');
      const after = [...(next.get(server) ?? [])].sort().join('\0');
      if (before !== after) this.changeEmitter.fire({ server, kinds: ['tools'] });
    }
  }

  /** Resolves when no list fetch is running (tests, benchmarks). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.values());
  }

  dispose(): void {
    for (const name of [...this.watched.keys()]) this.unwatch(name);
    this.changeEmitter.dispose();
  }

  private onState(server: ServerSupervisor, state: ServerState): void {
    if (state === 'running') {
      this.refresh(server, [...LIST_KINDS]);
      return;
    }
    const catalog = this.catalogs.get(server.name);
    if (!catalog) return;
    if (SHOW_CACHED.has(state)) {
      if (!catalog.cached) {
        catalog.cached = true;
        this.changeEmitter.fire({ server: server.name, kinds: [] });
      }
    } else {
      // Stopped, failed or disabled: its tools cannot be called, so they are not listed.
      this.catalogs.delete(server.name);
      this.changeEmitter.fire({ server: server.name, kinds: [...LIST_KINDS] });
    }
  }

  /** Re-fetches some lists of a server; overlapping requests coalesce into one more fetch. */
  private refresh(server: ServerSupervisor, kinds: ListKind[]): void {
    const key = server.name;
    if (this.inFlight.has(key)) {
      for (const kind of kinds) this.dirty.add(`${key}\0${kind}`);
      return;
    }
    const run = this.fetch(server, kinds)
      .catch((error: unknown) => server.logs.append('system', `registry: ${(error as Error).message}`))
      .finally(() => {
        this.inFlight.delete(key);
        const again = LIST_KINDS.filter((kind) => this.dirty.delete(`${key}\0${kind}`));
        if (again.length > 0 && server.state === 'running') this.refresh(server, again);
      });
    this.inFlight.set(key, run);
  }

  private async fetch(server: ServerSupervisor, kinds: ListKind[]): Promise<void> {
    const capabilities = (server.initializeResult?.capabilities ?? {}) as Record<string, unknown>;
    const lists = await Promise.all(
      kinds.map(async (kind) => [kind, capabilities[LIST_METHOD[kind].capability] ? await this.list(server, kind) : []] as const),
    );
    if (server.state !== 'running') return;
    const catalog = this.catalogs.get(server.name) ?? emptyCatalog(server.name);
    for (const [kind, items] of lists) {
      catalog[kind] = items;
      this.options.cache?.save(server.name, kind, items);
    }
    catalog.cached = false;
    catalog.updatedAt = Date.now();
    this.catalogs.set(server.name, catalog);
    this.changeEmitter.fire({ server: server.name, kinds });
  }

  private async list(server: ServerSupervisor, kind: ListKind): Promise<CatalogItem[]> {
    const items: CatalogItem[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const response: RpcResponse | undefined = await server.request(LIST_METHOD[kind].method, cursor ? { cursor } : undefined);
      if (!response) break;
      if ('error' in response) throw new Error(`${LIST_METHOD[kind].method} failed: ${response.error.message}`);
      const found = response.result[kind];
      if (Array.isArray(found)) items.push(...(found as CatalogItem[]));
      const next = response.result.nextCursor;
      if (typeof next !== 'string' || next === '') break;
      cursor = next;
    }
    return items;
  }
}

function emptyCatalog(server: string): ServerCatalog {
  return { server, tools: [], resources: [], resourceTemplates: [], prompts: [], cached: false, updatedAt: 0 };
}
