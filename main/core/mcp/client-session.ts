/**
 * What every client session has in common, on any endpoint: dispatching the client's messages,
 * asking the client what a server asks it (sampling, elicitation, roots), and forwarding a request
 * to a server with its answer — or its cancellation — going back.
 */
import {
  RpcErrorCode,
  errorResponse,
  isRequest,
  isResponse,
  type RequestId,
  type RpcMessage,
  type RpcNotification,
  type RpcRequest,
  type RpcResponse,
} from '../protocol/jsonrpc.js';
import type { BatchService } from '../runs/batch-service.js';
import type { ToolCatalog } from '../batch/plan-graph.js';
import type { ToolCaller } from '../batch/tool-caller.js';
import type { Disposer, Event } from '../events/emitter.js';
import type { ServerSupervisor } from '../supervisor/server-supervisor.js';
import type { PeerReply, UpstreamPeer } from '../supervisor/upstream-peer.js';
import { rolePermits } from '../auth/permissions.js';
import type { Principal } from '../auth/roles.js';
import type { DownstreamChannel, SessionHandler } from './downstream.js';

const SESSION_ENDED: PeerReply = { error: { code: RpcErrorCode.ConnectionClosed, message: 'the client session ended' } };

export abstract class ClientSession implements SessionHandler, UpstreamPeer {
  clientCapabilities: Record<string, unknown> | undefined;
  clientName: string | undefined;
  protected closed = false;
  private nextAskId = 1;
  private readonly asked = new Map<RequestId, (reply: PeerReply) => void>();
  /** Calls of MCP Orch's own tools (`batch_execute`, `plan_and_execute`) in flight, to cancel them. */
  private readonly batches = new Map<RequestId, AbortController>();
  private readonly following: Disposer[] = [];

  constructor(
    protected readonly channel: DownstreamChannel,
    /** The caller, as the auth guard established it. */
    protected readonly principal: Principal,
  ) {}

  get sessionId(): string {
    return this.channel.sessionId;
  }

  get keyId(): string {
    return this.principal.keyId;
  }

  get keyName(): string {
    return this.principal.name;
  }

  /** Records what the client says of itself in `initialize`. */
  protected initialized(params: Record<string, unknown>): void {
    this.clientCapabilities = (params.capabilities as Record<string, unknown> | undefined) ?? {};
    const info = params.clientInfo as { name?: unknown } | undefined;
    this.clientName = typeof info?.name === 'string' ? info.name : undefined;
  }

  handle(message: RpcMessage): void {
    if (isRequest(message)) this.onRequest(message);
    else if (isResponse(message)) this.onResponse(message);
    else this.onNotification(message);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const resolve of this.asked.values()) resolve(SESSION_ENDED);
    this.asked.clear();
    for (const controller of this.batches.values()) controller.abort(new Error('the client session ended'));
    this.batches.clear();
    for (const stop of this.following.splice(0)) stop();
    this.onClose();
  }

  deliverNotification(notification: RpcNotification, relatedRequestId?: RequestId): void {
    if (!this.closed) this.channel.send(notification, relatedRequestId);
  }

  askClient(request: RpcRequest, relatedRequestId: RequestId | undefined, signal: AbortSignal): Promise<PeerReply> {
    if (this.closed) return Promise.resolve(SESSION_ENDED);
    const id = `orch-${this.nextAskId++}`;
    return new Promise((resolve) => {
      this.asked.set(id, resolve);
      signal.addEventListener(
        'abort',
        () => {
          if (!this.asked.delete(id)) return;
          this.channel.send(
            { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'cancelled by the server' } },
            relatedRequestId,
          );
          resolve({ error: { code: RpcErrorCode.ConnectionClosed, message: 'cancelled' } });
        },
        { once: true },
      );
      this.channel.send({ ...request, id }, relatedRequestId);
    });
  }

  /** Handles a request from the client. */
  protected abstract onRequest(request: RpcRequest): void;
  /** Handles a notification from the client. */
  protected abstract onNotification(notification: RpcNotification): void;
  /** Releases what the session holds; called once. */
  protected abstract onClose(): void;

  /** Tells the client its tool list changed whenever the mode turns `batch_execute` on or off. */
  protected followMode(batch: BatchService): void {
    this.followToolList(batch.onDidChangeMode);
  }

  /** Tells the client its tool list changed whenever `event` fires (the mode, the planner's setting). */
  protected followToolList(event: Event<unknown>): void {
    this.following.push(
      event(() => {
        // Only sessions that completed initialize have a list to refresh.
        if (this.clientCapabilities !== undefined && !this.closed)
          this.channel.send({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
      }),
    );
  }

  /** Whether `batch_execute` is offered to this session: in batch mode, to keys that may run tools (not viewers). */
  protected offersBatch(batch: BatchService | undefined): batch is BatchService {
    return batch?.active === true && rolePermits(this.principal.role, 'operator');
  }

  /** Runs a `batch_execute` call; the report is the answer, unless the client cancelled the call. */
  protected executeBatch(
    batch: BatchService,
    request: RpcRequest,
    catalog: ToolCatalog,
    tools: ToolCaller,
    isDenied: (tool: string) => boolean,
  ): void {
    this.runOwnTool(request, (signal, progressToken) =>
      batch.execute({
        requestId: request.id,
        arguments: request.params?.arguments,
        catalog,
        tools,
        isDenied,
        peer: this,
        progressToken,
        signal,
        caller: { keyId: this.principal.keyId, keyName: this.principal.name },
      }),
    );
  }

  /**
   * Runs a call of one of MCP Orch's own tools (`batch_execute`, `plan_and_execute`) that the client
   * can cancel; its result is the answer, unless the client cancelled the call. `work` never rejects.
   */
  protected runOwnTool(
    request: RpcRequest,
    work: (signal: AbortSignal, progressToken: string | number | undefined) => Promise<Record<string, unknown>>,
  ): void {
    const controller = new AbortController();
    this.batches.set(request.id, controller);
    const progressToken = (request.params?._meta as Record<string, unknown> | undefined)?.progressToken;
    void work(controller.signal, typeof progressToken === 'string' || typeof progressToken === 'number' ? progressToken : undefined).then(
      (result) => {
        this.batches.delete(request.id);
        if (controller.signal.aborted) this.channel.abandon(request.id);
        else this.result(request.id, result);
      },
    );
  }

  /** Cancels the client's call `requestId` of one of MCP Orch's own tools; false when it is no such call. */
  protected cancelBatch(requestId: RequestId | undefined, reason: unknown): boolean {
    const controller = requestId === undefined ? undefined : this.batches.get(requestId);
    if (!controller) return false;
    controller.abort(new Error(typeof reason === 'string' ? `cancelled by the client: ${reason}` : 'cancelled by the client'));
    return true;
  }

  /** Forwards `request` to `server`; the answer (or nothing, if it was cancelled) goes back to the client. */
  protected forwardTo(server: ServerSupervisor, request: RpcRequest, done?: (response: RpcResponse | undefined) => void): void {
    server.forward(request, this).then(
      (response) => {
        done?.(response);
        if (response) this.reply(response);
        else this.channel.abandon(request.id);
      },
      (error: unknown) => this.reply(errorResponse(request.id, RpcErrorCode.InternalError, (error as Error).message)),
    );
  }

  protected reply(response: RpcResponse): void {
    if (!this.closed) this.channel.send(response);
  }

  protected result(id: RequestId, result: Record<string, unknown>): void {
    this.reply({ jsonrpc: '2.0', id, result });
  }

  protected fail(id: RequestId, code: number, message: string): void {
    this.reply(errorResponse(id, code, message));
  }

  private onResponse(response: RpcResponse): void {
    if (response.id === null) return;
    const resolve = this.asked.get(response.id);
    if (!resolve) return;
    this.asked.delete(response.id);
    resolve('error' in response ? { error: response.error } : { result: response.result });
  }
}
