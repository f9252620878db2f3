/**
 * One client session on the aggregated endpoint (`/mcp`, `/sse`): one MCP server made of all of
 * them. Tools and prompts carry namespaced names, resources keep their URIs, and every call is
 * routed through the lookup tables of the `AggregateView` to the server that owns it.
 */
import { LATEST_PROTOCOL_VERSION } from '../protocol/versions.js';
import type { BatchService } from '../runs/batch-service.js';
import { BATCH_TOOL_NAME, batchToolDefinition } from '../batch/batch-tool.js';
import type { ToolCatalog } from '../batch/plan-graph.js';
import { aggregateCatalog, visibleTools } from '../batch/tool-catalog.js';
import type { Disposer } from '../events/emitter.js';
import { RpcErrorCode, type RequestId, type RpcNotification, type RpcRequest } from '../protocol/jsonrpc.js';
import type { AggregateView } from '../registry/aggregate-view.js';
import type { ListKind } from '../registry/tool-registry.js';
import type { ServerSupervisor } from '../supervisor/server-supervisor.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import { serverTools } from '../supervisor/call-tool.js';
import { ClientSession } from './client-session.js';
import type { Principal } from '../auth/roles.js';
import type { DownstreamChannel } from './downstream.js';
import { negotiateVersion } from './proxy-session.js';
import { PLAN_TOOL_NAME, planToolDefinition } from '../planner/plan-tool.js';
import { aggregatePlannerCatalog } from '../planner/planner-catalog.js';
import type { PlannerService } from '../planner/planner-service.js';

export interface AggregateSessionOptions {
  supervisor: Supervisor;
  view: AggregateView;
  version: string;
  /** Whether the session's key may see and call a tool. */
  canCall: (server: string, tool: string) => boolean;
  /** The key may see every tool (no patterns): `tools/list` is served from the view's ready JSON. */
  seesEveryTool?: boolean;
  /** Reports a call refused for the key (the audit log). */
  onDenied?: (server: string, tool: string) => void;
  /** Batch mode: `batch_execute` is offered while it is on. */
  batch?: BatchService | undefined;
  /** The planner: `plan_and_execute` is offered with `batch_execute` while one is configured. */
  planner?: PlannerService | undefined;
}

/** MCP error for an unknown resource (as the SDK's servers answer). */
const RESOURCE_NOT_FOUND = -32002;

const LIST_CHANGED: Record<'tools' | 'resources' | 'prompts', string> = {
  tools: 'notifications/tools/list_changed',
  resources: 'notifications/resources/list_changed',
  prompts: 'notifications/prompts/list_changed',
};

export class AggregateSession extends ClientSession {
  /** Keyed by supervisor, not name: a server removed and added back under its name is a new one. */
  private readonly attached = new Map<ServerSupervisor, Disposer>();
  /** Which server each in-flight client request went to, to forward a cancellation. */
  private readonly inFlight = new Map<RequestId, ServerSupervisor>();
  /** Whether `name` is a tool of the aggregate that this session's key may not call. */
  private isDenied(name: string): boolean {
    const origin = this.options.view.resolveTool(name);
    return origin !== undefined && !this.options.canCall(origin.server, origin.name);
  }

  /** Where this session's `batch_execute` tasks are called. */
  private readonly tools = serverTools((server) => this.options.supervisor.get(server));

  constructor(
    channel: DownstreamChannel,
    principal: Principal,
    private readonly options: AggregateSessionOptions,
  ) {
    super(channel, principal);
    for (const server of options.supervisor.list()) this.attachTo(server);
    if (options.batch) this.followMode(options.batch);
    if (options.planner) this.followToolList(options.planner.onDidChange);
  }

  /** MCP Orch's own tools this session is offered now: `batch_execute`, and `plan_and_execute` with a planner. */
  private ownTools(): Record<string, unknown>[] {
    if (!this.offersBatch(this.options.batch)) return [];
    return this.offersPlan() ? [batchToolDefinition('aggregate'), planToolDefinition()] : [batchToolDefinition('aggregate')];
  }

  /** `plan_and_execute` goes with `batch_execute` (batch mode, keys that may run tools), when a planner is configured. */
  private offersPlan(): boolean {
    return this.offersBatch(this.options.batch) && this.options.planner?.configured === true;
  }

  /** Starts receiving what `server` sends (a server added by hot reload). */
  attachTo(server: ServerSupervisor): void {
    if (!this.attached.has(server)) this.attached.set(server, server.attach(this));
  }

  /** Tells the client which lists changed. */
  listsChanged(kinds: readonly ListKind[]): void {
    const sent = new Set<string>();
    for (const kind of kinds) {
      const method = LIST_CHANGED[kind === 'resourceTemplates' ? 'resources' : kind];
      if (sent.has(method)) continue;
      sent.add(method);
      super.deliverNotification({ jsonrpc: '2.0', method });
    }
  }

  override deliverNotification(notification: RpcNotification, relatedRequestId?: RequestId): void {
    // Upstream list changes reach the client through the registry, as changes of the aggregate.
    if (notification.method.endsWith('/list_changed')) return;
    super.deliverNotification(notification, relatedRequestId);
  }

  protected onRequest(request: RpcRequest): void {
    const view = this.options.view;
    const params = request.params ?? {};
    switch (request.method) {
      case 'initialize':
        this.initialized(params);
        this.result(request.id, {
          protocolVersion: negotiateVersion(params.protocolVersion, LATEST_PROTOCOL_VERSION),
          capabilities: {
            tools: { listChanged: true },
            resources: { subscribe: true, listChanged: true },
            prompts: { listChanged: true },
            completions: {},
            logging: {},
          },
          serverInfo: { name: 'mcp-orch', title: 'MCP Orch (all servers)', version: this.options.version },
          instructions: `The tools of several MCP servers, each named <server>${view.separator}<tool>. Servers: ${this.options.supervisor.names().join(', ')}.`,
        });
        return;
      case 'ping':
        this.result(request.id, {});
        return;
      case 'tools/list':
        if (this.options.seesEveryTool) this.result(request.id, view.toolsListResult(this.ownTools()));
        else this.result(request.id, { tools: [...this.visibleTools(), ...this.ownTools()] });
        return;
      case 'prompts/list':
        this.result(request.id, { prompts: view.prompts });
        return;
      case 'resources/list':
        this.result(request.id, { resources: view.resources });
        return;
      case 'resources/templates/list':
        this.result(request.id, { resourceTemplates: view.resourceTemplates });
        return;
      case 'tools/call':
      case 'prompts/get': {
        const name = params.name;
        if (request.method === 'tools/call' && name === BATCH_TOOL_NAME && this.options.batch?.active) {
          if (this.offersBatch(this.options.batch))
            this.executeBatch(this.options.batch, request, this.batchCatalog(), this.tools, (tool) => this.isDenied(tool));
          else {
            this.options.onDenied?.('(aggregate)', BATCH_TOOL_NAME);
            this.fail(request.id, RpcErrorCode.InvalidParams, `Unknown tool: ${BATCH_TOOL_NAME}`);
          }
          return;
        }
        if (request.method === 'tools/call' && name === PLAN_TOOL_NAME && this.options.batch?.active && this.options.planner?.configured) {
          if (this.offersPlan()) this.executePlan(this.options.planner, request);
          else {
            this.options.onDenied?.('(aggregate)', PLAN_TOOL_NAME);
            this.fail(request.id, RpcErrorCode.InvalidParams, `Unknown tool: ${PLAN_TOOL_NAME}`);
          }
          return;
        }
        const origin =
          typeof name === 'string' ? (request.method === 'tools/call' ? view.resolveTool(name) : view.resolvePrompt(name)) : undefined;
        if (!origin) {
          this.fail(
            request.id,
            RpcErrorCode.InvalidParams,
            `${request.method === 'tools/call' ? 'Unknown tool' : 'Unknown prompt'}: ${String(name)}`,
          );
          return;
        }
        if (request.method === 'tools/call' && !this.options.canCall(origin.server, origin.name)) {
          this.options.onDenied?.(origin.server, origin.name);
          this.fail(request.id, RpcErrorCode.InvalidParams, `Unknown tool: ${String(name)}`);
          return;
        }
        this.route(origin.server, { ...request, params: { ...params, name: origin.name } });
        return;
      }
      case 'resources/read':
      case 'resources/subscribe':
      case 'resources/unsubscribe': {
        const uri = params.uri;
        const server = typeof uri === 'string' ? view.serverOfUri(uri) : undefined;
        if (!server) {
          this.fail(request.id, RESOURCE_NOT_FOUND, `Resource not found: ${String(uri)}`);
          return;
        }
        this.route(server, request);
        return;
      }
      case 'completion/complete':
        this.complete(request);
        return;
      case 'logging/setLevel':
        this.setLevel(request);
        return;
      default:
        this.fail(request.id, RpcErrorCode.MethodNotFound, `Method not found: ${request.method}`);
    }
  }

  protected onNotification(notification: RpcNotification): void {
    if (notification.method === 'notifications/cancelled') {
      const requestId = notification.params?.requestId as RequestId | undefined;
      if (this.cancelBatch(requestId, notification.params?.reason)) return;
      const server = requestId === undefined ? undefined : this.inFlight.get(requestId);
      const reason = notification.params?.reason;
      server?.cancel(this, requestId!, typeof reason === 'string' ? reason : undefined);
    } else if (notification.method !== 'notifications/initialized') {
      for (const server of this.options.supervisor.list()) server.notify(notification);
    }
  }

  protected onClose(): void {
    for (const detach of this.attached.values()) detach();
    this.attached.clear();
    this.inFlight.clear();
  }

  /** The aggregate's tools this session's key may call (a key sees only what it may call). */
  private visibleTools(): Record<string, unknown>[] {
    return visibleTools(this.options.view.tools, this.options.canCall);
  }

  /** What a batch of this session may call: the tools it sees, by their aggregated names. */
  private batchCatalog(): ToolCatalog {
    return aggregateCatalog(this.visibleTools());
  }

  /** Runs a `plan_and_execute` call over the tools this session's key may call. */
  private executePlan(planner: PlannerService, request: RpcRequest): void {
    this.runOwnTool(request, (signal, progressToken) =>
      planner.execute({
        requestId: request.id,
        arguments: request.params?.arguments,
        catalog: aggregatePlannerCatalog(this.visibleTools()),
        tools: this.tools,
        peer: this,
        progressToken,
        signal,
        caller: { keyId: this.principal.keyId, keyName: this.principal.name },
      }),
    );
  }

  private route(serverName: string, request: RpcRequest): void {
    const server = this.options.supervisor.get(serverName);
    if (!server) {
      this.fail(request.id, RpcErrorCode.ConnectionClosed, `server "${serverName}" is not configured any more`);
      return;
    }
    this.inFlight.set(request.id, server);
    this.forwardTo(server, request, () => this.inFlight.delete(request.id));
  }

  private complete(request: RpcRequest): void {
    const params = request.params ?? {};
    const ref = (params.ref ?? {}) as { type?: string; name?: string; uri?: string };
    if (ref.type === 'ref/prompt' && typeof ref.name === 'string') {
      const origin = this.options.view.resolvePrompt(ref.name);
      if (origin) {
        this.route(origin.server, { ...request, params: { ...params, ref: { ...ref, name: origin.name } } });
        return;
      }
    } else if (ref.type === 'ref/resource' && typeof ref.uri === 'string') {
      const server = this.options.view.serverOfTemplate(ref.uri) ?? this.options.view.serverOfUri(ref.uri);
      if (server) {
        this.route(server, request);
        return;
      }
    }
    this.fail(request.id, RpcErrorCode.InvalidParams, 'completion/complete: unknown prompt or resource reference');
  }

  /** Sets the log level on every running server that logs; answers once all did. */
  private setLevel(request: RpcRequest): void {
    const servers = this.options.supervisor
      .list()
      .filter(
        (server) => server.state === 'running' && (server.initializeResult?.capabilities as Record<string, unknown> | undefined)?.logging,
      );
    void Promise.all(servers.map((server) => server.forward({ ...request }, this))).then(() => this.result(request.id, {}));
  }
}
