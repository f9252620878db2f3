/**
 * What the aggregated endpoint shows: every enabled tool and prompt of every server under its
 * namespaced name, every resource and template with its URI kept, and the lookup tables that route
 * a call back to its server. Rebuilt lazily after the registry changes.
 */
import { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import { Emitter } from '../events/emitter.js';
import { preserialize } from '../protocol/jsonrpc.js';
import { NameTable, Namer, type Origin } from './naming.js';
import type { CatalogItem, ListKind, ToolRegistry } from './tool-registry.js';

/** `_meta` key under which each aggregated item names its origin. */
export const ORIGIN_META_KEY = 'io.github.mcp-orch/origin';

interface Snapshot {
  tools: CatalogItem[];
  toolNames: NameTable;
  prompts: CatalogItem[];
  promptNames: NameTable;
  resources: CatalogItem[];
  resourceTemplates: CatalogItem[];
  resourceOwners: Map<string, string>;
  templates: { server: string; uriTemplate: string; matcher: UriTemplate | undefined }[];
}

function withOrigin(item: CatalogItem, name: string, origin: Origin): CatalogItem {
  const meta = item._meta && typeof item._meta === 'object' ? (item._meta as Record<string, unknown>) : {};
  return { ...item, name, _meta: { ...meta, [ORIGIN_META_KEY]: origin } };
}

export class AggregateView {
  private snapshot: Snapshot | undefined;
  /** Ready `tools/list` results of the current snapshot, by the names of the extra tools they end with. */
  private listResults = new Map<string, Record<string, unknown>>();
  private namer: Namer;
  private readonly changeEmitter = new Emitter<readonly ListKind[]>();

  /** Fires with the lists of the aggregate that changed. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly registry: ToolRegistry,
    separator: string,
  ) {
    this.namer = new Namer(separator);
    registry.onDidChange(({ kinds }) => {
      if (kinds.length === 0) return;
      this.invalidate();
      this.changeEmitter.fire(kinds);
    });
  }

  /** Changes the namespace separator (hot reload); names are rebuilt. */
  setSeparator(separator: string): void {
    if (separator === this.namer.separator) return;
    this.namer = new Namer(separator);
    this.invalidate();
    this.changeEmitter.fire(['tools', 'prompts']);
  }

  get separator(): string {
    return this.namer.separator;
  }

  get tools(): CatalogItem[] {
    return this.current().tools;
  }

  /**
   * The whole `tools/list` result (every tool, then `extras`: MCP Orch's own tools, each always the
   * same definition under its name), serialised once per catalog change: for 5,000 tools that is
   * megabytes of JSON not rebuilt on every call. Only for callers that may see every tool; do not
   * mutate it.
   */
  toolsListResult(extras: readonly CatalogItem[] = []): Record<string, unknown> {
    this.current();
    const key = extras.map((extra) => String(extra.name)).join('\n');
    let result = this.listResults.get(key);
    if (!result) {
      result = preserialize({ tools: [...this.current().tools, ...extras] });
      this.listResults.set(key, result);
    }
    return result;
  }

  get prompts(): CatalogItem[] {
    return this.current().prompts;
  }

  get resources(): CatalogItem[] {
    return this.current().resources;
  }

  get resourceTemplates(): CatalogItem[] {
    return this.current().resourceTemplates;
  }

  /** The server and original name of an aggregated tool name. */
  resolveTool(name: string): Origin | undefined {
    return this.current().toolNames.resolve(name);
  }

  /** The aggregated name of a server's tool. */
  toolName(server: string, tool: string): string | undefined {
    return this.current().toolNames.nameOf(server, tool);
  }

  resolvePrompt(name: string): Origin | undefined {
    return this.current().promptNames.resolve(name);
  }

  /** The server a resource URI belongs to: a listed resource first, then the first matching template. */
  serverOfUri(uri: string): string | undefined {
    const snapshot = this.current();
    const owner = snapshot.resourceOwners.get(uri);
    if (owner) return owner;
    return snapshot.templates.find((template) => template.matcher?.match(uri))?.server;
  }

  /** The server that declared a resource template. */
  serverOfTemplate(uriTemplate: string): string | undefined {
    return this.current().templates.find((template) => template.uriTemplate === uriTemplate)?.server;
  }

  private invalidate(): void {
    this.snapshot = undefined;
    this.listResults = new Map();
  }

  private current(): Snapshot {
    this.snapshot ??= this.build();
    return this.snapshot;
  }

  private build(): Snapshot {
    const catalogs = this.registry.all();
    const toolOrigins: { origin: Origin; item: CatalogItem }[] = [];
    const promptOrigins: { origin: Origin; item: CatalogItem }[] = [];
    const resources: CatalogItem[] = [];
    const resourceOwners = new Map<string, string>();
    const resourceTemplates: CatalogItem[] = [];
    const templates: Snapshot['templates'] = [];
    for (const catalog of catalogs) {
      for (const tool of this.registry.enabledTools(catalog.server)) {
        if (typeof tool.name === 'string') toolOrigins.push({ origin: { server: catalog.server, name: tool.name }, item: tool });
      }
      for (const prompt of catalog.prompts) {
        if (typeof prompt.name === 'string') promptOrigins.push({ origin: { server: catalog.server, name: prompt.name }, item: prompt });
      }
      for (const resource of catalog.resources) {
        if (typeof resource.uri !== 'string' || resourceOwners.has(resource.uri)) continue;
        resourceOwners.set(resource.uri, catalog.server);
        resources.push(resource);
      }
      for (const template of catalog.resourceTemplates) {
        if (typeof template.uriTemplate !== 'string') continue;
        resourceTemplates.push(template);
        templates.push({ server: catalog.server, uriTemplate: template.uriTemplate, matcher: compile(template.uriTemplate) });
      }
    }
    const toolNames = new NameTable(
      toolOrigins.map((entry) => entry.origin),
      this.namer,
    );
    const promptNames = new NameTable(
      promptOrigins.map((entry) => entry.origin),
      this.namer,
    );
    return {
      tools: toolOrigins.map(({ origin, item }) => withOrigin(item, toolNames.nameOf(origin.server, origin.name)!, origin)),
      toolNames,
      prompts: promptOrigins.map(({ origin, item }) => withOrigin(item, promptNames.nameOf(origin.server, origin.name)!, origin)),
      promptNames,
      resources,
      resourceTemplates,
      resourceOwners,
      templates,
    };
  }
}

function compile(uriTemplate: string): UriTemplate | undefined {
  try {
    return new UriTemplate(uriTemplate);
  } catch {
    return undefined;
  }
}
