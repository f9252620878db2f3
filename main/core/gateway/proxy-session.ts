/**
 * One client session on a per-server endpoint: a transparent proxy. Requests are forwarded raw to
 * the server (shared, or the session's own in `per-session` mode), answers and notifications come
 * back raw, and the server's requests to the client (sampling, elicitation, roots) are asked here.
 */
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import type { Disposer } from '../events/emitter.js';
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
import type { ServerSupervisor } from '../supervisor/server-supervisor.js';
import type { PeerReply, UpstreamPeer } from '../supervisor/upstream-peer.js';
import type { DownstreamChannel, SessionHandler } from './downstream.js';

export interface ProxySessionOptions {
  /** The shared supervisor of the server. */
  server: ServerSupervisor;
  /** In `per-session` mode: makes and starts the session's own supervisor, initialised with the client's params. */
  dedicated?: (initializeParams: Record<string, unknown>) => Promise<ServerSupervisor>;
}

/** The protocol version to answer a client with: its own when we speak it, else the server's. */
export function negotiateVersion(requested: unknown, serverVersion: unknown): string {
  if (typeof requested === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(requested)) return requested;
  return typeof serverVersion === 'string' ? serverVersion : SUPPORTED_PROTOCOL_VERSIONS[0]!;
}

interface AskedRequest {
  resolve: (reply: PeerReply) => void;
}

export class ProxySession implements SessionHandler, UpstreamPeer {
  clientCapabilities: Record<string, unknown> | undefined;
  private server: ServerSupervisor;
  private detach: Disposer | undefined;
  private ownServer: ServerSupervisor | undefined;
  private nextAskId = 1;
  private readonly asked = new Map<RequestId, AskedRequest>();
  private closed = false;

  constructor(
    private readonly channel: DownstreamChannel,
    private readonly options: ProxySessionOptions,
  ) {
    this.server = options.server;
    if (!options.dedicated) this.detach = this.server.attach(this);
  }

  handle(message: RpcMessage): void {
    if (isRequest(message)) {
      if (message.method === 'initialize') void this.initialize(message);
      else this.forward(message);
    } else if (isResponse(message)) {
      this.answer(message);
    } else {
      this.notifyUpstream(message);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.detach?.();
    for (const asked of this.asked.values()) asked.resolve({ error: { code: RpcErrorCode.ConnectionClosed, message: 'the client session ended' } });
    this.asked.clear();
    void this.ownServer?.dispose();
  }

  deliverNotification(notification: RpcNotification, relatedRequestId?: RequestId): void {
    if (!this.closed) this.channel.send(notification, relatedRequestId);
  }

  askClient(request: RpcRequest, relatedRequestId: RequestId | undefined, signal: AbortSignal): Promise<PeerReply> {
    if (this.closed) return Promise.resolve({ error: { code: RpcErrorCode.ConnectionClosed, message: 'the client session ended' } });
    const id = `orch-${this.nextAskId++}`;
    return new Promise((resolve) => {
      this.asked.set(id, { resolve });
      signal.addEventListener('abort', () => {
        if (!this.asked.delete(id)) return;
        this.channel.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'cancelled by the server' } }, relatedRequestId);
        resolve({ error: { code: RpcErrorCode.ConnectionClosed, message: 'cancelled' } });
      }, { once: true });
      this.channel.send({ ...request, id }, relatedRequestId);
    });
  }

  private async initialize(request: RpcRequest): Promise<void> {
    const params = request.params ?? {};
    this.clientCapabilities = (params.capabilities as Record<string, unknown> | undefined) ?? {};
    if (this.options.dedicated) {
      if (this.ownServer) {
        this.reply(errorResponse(request.id, RpcErrorCode.InvalidRequest, 'the session is already initialised'));
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
      this.reply(errorResponse(request.id, RpcErrorCode.ConnectionClosed, (error as Error).message));
      return;
    }
    const result = this.server.initializeResult ?? {};
    const protocolVersion = this.options.dedicated ? result.protocolVersion : negotiateVersion(params.protocolVersion, result.protocolVersion);
    this.reply({ jsonrpc: '2.0', id: request.id, result: { ...result, protocolVersion } });
  }

  private forward(request: RpcRequest): void {
    this.server.forward(request, this).then(
      (response) => {
        if (response) this.reply(response);
        else this.channel.abandon(request.id);
      },
      (error: unknown) => this.reply(errorResponse(request.id, RpcErrorCode.InternalError, (error as Error).message)),
    );
  }

  private notifyUpstream(notification: RpcNotification): void {
    switch (notification.method) {
      case 'notifications/initialized':
        return; // the server was initialised by MCP Orch itself
      case 'notifications/cancelled': {
        const requestId = notification.params?.requestId as RequestId | undefined;
        const reason = notification.params?.reason;
        if (requestId !== undefined) this.server.cancel(this, requestId, typeof reason === 'string' ? reason : undefined);
        return;
      }
      default:
        this.server.notify(notification);
    }
  }

  private answer(response: RpcResponse): void {
    if (response.id === null) return;
    const asked = this.asked.get(response.id);
    if (!asked) return;
    this.asked.delete(response.id);
    asked.resolve('error' in response ? { error: response.error } : { result: response.result });
  }

  private reply(response: RpcResponse): void {
    if (!this.closed) this.channel.send(response);
  }
}
