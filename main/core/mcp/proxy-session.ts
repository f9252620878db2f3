/**
 * One client session on a per-server endpoint: a transparent proxy. Requests are forwarded raw to
 * the server (shared, or the session's own in `per-session` mode), answers and notifications come
 * back raw, and the server's requests to the client (sampling, elicitation, roots) are asked here.
 * The only edit: tools the user disabled are left out of `tools/list` and refused by `tools/call`.
 */
import { SUPPORTED_PROTOCOL_VERSIONS } from '../protocol/versions.js';
import type { BatchService } from '../runs/batch-service.js';
import { BATCH_TOOL_NAME, batchToolDefinition } from '../batch/batch-tool.js';
import type { ToolCatalog } from '../batch/plan-graph.js';
import type { Disposer } from '../events/emitter.js';
import { RpcErrorCode, type RequestId, type RpcNotification, type RpcRequest, type RpcResponse } from '../protocol/jsonrpc.js';
import type { ServerSupervisor } from '../supervisor/server-supervisor.js';
import { serverTools } from '../supervisor/call-tool.js';
import { ClientSession } from './client-session.js';
import type { Principal } from '../auth/roles.js';
import type { DownstreamChannel } from './downstream.js';

export interface ProxySessionOptions {
  /** The shared supervisor of the server. */
  server: ServerSupervisor;
  /** In `per-session` mode: makes and starts the session's own supervisor, initialised with the client's params. */
  dedicated?: (initializeParams: Record<string, unknown>) => Promise<ServerSupervisor>;
  /** Whether this session may see and call a tool of this server (enabled by the user, allowed for the key). */
  isToolEnabled?: (tool: string) => boolean;
  /** Reports a call refused for the key (the audit log). */
  onDenied?: (tool: string) => void;
  /** Whether `tool` is one of the server's tools that the session's key may not call. */
  isDenied?: (tool: string) => boolean;
  /** Batch mode: `batch_execute` over this server's tools is offered while it is on. */
  batch?: BatchService | undefined;
  /** The server's tools as last listed (the registry's catalog), for batch plans. */
  tools?: () => readonly Record<string, unknown>[];
}

/** The protocol version to answer a client with: its own when we speak it, else the server's. */
export function negotiateVersion(requested: unknown, serverVersion: unknown): string {
  if (typeof requested === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(requested)) return requested;
  return typeof serverVersion === 'string' ? serverVersion : SUPPORTED_PROTOCOL_VERSIONS[0]!;
}

export class ProxySession extends ClientSession {
  private server: ServerSupervisor;
  private detach: Disposer | undefined;
  private ownServer: ServerSupervisor | undefined;

  /** Where this session's `batch_execute` tasks are called: its server, the dedicated one in per-session mode. */
  private readonly tools = serverTools((server) => (server === this.server.name ? this.server : undefined));

  constructor(
    channel: DownstreamChannel,
    principal: Principal,
    private readonly options: ProxySessionOptions,
  ) {
    super(channel, principal);
    this.server = options.server;
    if (!options.dedicated) this.detach = this.server.attach(this);
    if (options.batch) this.followMode(options.batch);
  }

  get serverName(): string {
    return this.server.name;
  }

  /** Tells the client the tool list changed (a tool was enabled or disabled). */
  toolsChanged(): void {
    this.deliverNotification({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
  }

  protected onRequest(request: RpcRequest): void {
    switch (request.method) {
      case 'initialize':
        void this.initialize(request);
        return;
      case 'tools/call': {
        const name = request.params?.name;
        if (name === BATCH_TOOL_NAME && this.offersBatch(this.options.batch)) {
          this.executeBatch(this.options.batch, request, this.batchCatalog(), this.tools, (tool) => this.options.isDenied?.(tool) ?? false);
          return;
        }
        if (typeof name === 'string' && this.options.isToolEnabled && !this.options.isToolEnabled(name)) {
          this.options.onDenied?.(name);
          this.fail(request.id, RpcErrorCode.InvalidParams, `Tool ${name} is disabled in MCP Orch or not allowed for this key`);
          return;
        }
        this.forwardTo(this.server, request);
        return;
      }
      case 'tools/list':
        this.forwardTo(this.server, request, (response) => {
          this.hideDisabledTools(response);
          this.addBatchTool(response);
        });
        return;
      default:
        this.forwardTo(this.server, request);
    }
  }

  protected onNotification(notification: RpcNotification): void {
    switch (notification.method) {
      case 'notifications/initialized':
        return; // the server was initialised by MCP Orch itself
      case 'notifications/cancelled': {
        const requestId = notification.params?.requestId as RequestId | undefined;
        const reason = notification.params?.reason;
        if (this.cancelBatch(requestId, reason)) return;
        if (requestId !== undefined) this.server.cancel(this, requestId, typeof reason === 'string' ? reason : undefined);
        return;
      }
      default:
        this.server.notify(notification);
    }
  }

  protected onClose(): void {
    this.detach?.();
    void this.ownServer?.dispose();
  }

  private async initialize(request: RpcRequest): Promise<void> {
    const params = request.params ?? {};
    this.initialized(params);
    if (this.options.dedicated) {
      if (this.ownServer) {
        this.fail(request.id, RpcErrorCode.InvalidRequest, 'the session is already initialised');
        return;
      }
      this.ownServer = await this.options.dedicated(params);
      this.server = this.ownServer;
      if (this.closed) {
        void this.ownServer.dispose();
        return;
      }
      this.detach = this.server.attach(this);
    }
    try {
      await this.server.whenRunning(this.server.config.timeoutMs);
    } catch (error) {
      this.fail(request.id, RpcErrorCode.ConnectionClosed, (error as Error).message);
      return;
    }
    const result = this.server.initializeResult ?? {};
    const protocolVersion = this.options.dedicated
      ? result.protocolVersion
      : negotiateVersion(params.protocolVersion, result.protocolVersion);
    this.result(request.id, { ...result, protocolVersion });
  }

  /** Appends `batch_execute` to the last page of `tools/list` in batch mode. */
  private addBatchTool(response: RpcResponse | undefined): void {
    if (!this.offersBatch(this.options.batch) || !response || !('result' in response) || !Array.isArray(response.result.tools)) return;
    if (response.result.nextCursor !== undefined) return;
    response.result = { ...response.result, tools: [...(response.result.tools as unknown[]), batchToolDefinition('server')] };
  }

  /** What a batch of this session may call: the server's tools it may see, by their plain names. */
  private batchCatalog(): ToolCatalog {
    const enabled = this.options.isToolEnabled ?? (() => true);
    const tools = new Map<string, Record<string, unknown>>();
    for (const tool of this.options.tools?.() ?? []) if (typeof tool.name === 'string' && enabled(tool.name)) tools.set(tool.name, tool);
    return (name) => {
      const tool = tools.get(name);
      if (!tool) return undefined;
      return {
        server: this.server.name,
        name,
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
        annotations: tool.annotations as Record<string, unknown> | undefined,
      };
    };
  }

  private hideDisabledTools(response: RpcResponse | undefined): void {
    const enabled = this.options.isToolEnabled;
    if (!enabled || !response || !('result' in response) || !Array.isArray(response.result.tools)) return;
    const tools = response.result.tools as { name?: unknown }[];
    if (tools.every((tool) => typeof tool.name !== 'string' || enabled(tool.name))) return;
    response.result = { ...response.result, tools: tools.filter((tool) => typeof tool.name !== 'string' || enabled(tool.name)) };
  }
}
