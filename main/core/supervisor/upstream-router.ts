/**
 * Multiplexes many client sessions over one live upstream connection (docs/specification.md §3 "upstream sharing"):
 * request ids and progress tokens are remapped, responses find their way back, and what the server
 * sends on its own (notifications, server→client requests) goes to the session that caused it.
 *
 * One router lives as long as one channel; the supervisor makes a new one for each (re)start.
 */
import {
  RpcErrorCode,
  checkMessage,
  errorResponse,
  isRequest,
  isResponse,
  type RequestId,
  type RpcMessage,
  type RpcNotification,
  type RpcRequest,
  type RpcResponse,
} from '../protocol/jsonrpc.js';
import { resultFields } from '../protocol/raw-response.js';
import type { MessageChannel } from './channel.js';
import { CAPABILITY_OF_QUESTION, hasModernEnvelope } from '../protocol/versions.js';
import * as modern from './upstream-modern.js';
import type { UpstreamPeer } from './upstream-peer.js';

interface Pending {
  peer: UpstreamPeer | undefined;
  method: string;
  /** What the call is about: the tool or prompt name, or the resource URI. */
  target: string | undefined;
  startedAt: number;
  bytesIn: number;
  /** The id the peer used; the response is sent back under it. */
  downstreamId: RequestId;
  /** The progress token the peer used, when it asked for progress. */
  progressToken: unknown;
  resolve: (response: RpcResponse | undefined) => void;
  timer: NodeJS.Timeout | undefined;
  /** What was sent upstream (a 2026 server's `input_required` is answered by sending it again). */
  outgoing: RpcRequest;
  timeoutMs: number;
  /** Sent in 2026-07-28; its rounds of questions so far; aborted when the call ends while its client is asked. */
  inModern: boolean;
  rounds: number;
  asking?: AbortController;
}

/** One finished request of a client session, for the call log. */
export interface CallRecord {
  peer: UpstreamPeer;
  method: string;
  target: string | undefined;
  startedAt: number;
  durationMs: number;
  ok: boolean;
  error: string | undefined;
  bytesIn: number;
  bytesOut: number;
}

export interface RouterContext {
  /** Name of the server, for error messages. */
  readonly name: string;
  /** Every peer attached to the server (for broadcasts). */
  readonly peers: ReadonlySet<UpstreamPeer>;
  /** Peers subscribed to a resource URI. */
  subscribersOf(uri: string): Iterable<UpstreamPeer>;
  /** Called for every server notification after routing (the registry follows list_changed through it). */
  onNotification(notification: RpcNotification): void;
  /** Where the router reports what it could not deliver. */
  log(line: string): void;
  /** Called when a client session's request ends (answered, failed, timed out or cancelled). */
  onCall?(record: CallRecord): void;
}

export class UpstreamRouter {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Server→client requests in flight, by the server's id: aborted when the server cancels them. */
  private readonly serverRequests = new Map<RequestId, AbortController>();
  private closed = false;
  /** Set when the server speaks 2026-07-28: the `_meta` envelope every request gets (upstream-modern.ts). */
  private envelope: Record<string, unknown> | undefined;
  private besides2025 = false;

  constructor(
    private readonly channel: MessageChannel,
    private readonly context: RouterContext,
  ) {}

  /**
   * From now on, speaks MCP 2026-07-28 to the server, with `envelope` in every request's `_meta`;
   * `besides2025`: only for requests of 2026 clients (they carry their own envelope), the others in 2025.
   */
  speakModern(envelope: Record<string, unknown>, options: { besides2025: boolean }): void {
    this.envelope = envelope;
    this.besides2025 = options.besides2025;
  }

  /** Number of requests waiting for the upstream. */
  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * Sends a peer's request upstream under a fresh id. Resolves with the response (under the peer's
   * id), an error response (timeout, crash), or `undefined` when the peer cancelled it.
   */
  forward(request: RpcRequest, peer: UpstreamPeer | undefined, timeoutMs: number): Promise<RpcResponse | undefined> {
    const upstreamId = this.nextId++;
    const params = request.params;
    const meta = params?._meta as Record<string, unknown> | undefined;
    const progressToken = meta?.progressToken;
    let outgoing: RpcRequest = { jsonrpc: '2.0', id: upstreamId, method: request.method };
    if (params !== undefined) {
      outgoing.params = progressToken === undefined ? params : { ...params, _meta: { ...meta, progressToken: upstreamId } };
    }
    const inModern = this.envelope !== undefined && (!this.besides2025 || hasModernEnvelope(request));
    if (inModern) outgoing = modern.dress(outgoing, this.envelope!, peer?.clientCapabilities);
    return new Promise((resolve) => {
      if (this.closed) {
        resolve(this.unavailable(request.id));
        return;
      }
      // 2026-07-28 dropped ping and logging/setLevel: MCP Orch answers them for a 2026 server.
      if (inModern && modern.ANSWERED_FOR_MODERN.has(request.method)) {
        resolve({ jsonrpc: '2.0', id: request.id, result: {} });
        return;
      }
      const target = (params?.name ?? params?.uri) as string | undefined;
      const entry: Pending = {
        peer,
        method: request.method,
        target: typeof target === 'string' ? target : undefined,
        startedAt: Date.now(),
        bytesIn: 0,
        downstreamId: request.id,
        progressToken,
        resolve,
        timer: undefined,
        outgoing,
        timeoutMs,
        rounds: 0,
        inModern,
      };
      this.arm(upstreamId, entry);
      this.pending.set(upstreamId, entry);
      this.send(upstreamId, entry);
    });
  }

  /** Forwards the peer's cancellation of one of its requests; its promise resolves with `undefined`. */
  cancel(peer: UpstreamPeer | undefined, downstreamId: RequestId, reason?: string): void {
    for (const [upstreamId, entry] of this.pending) {
      if (entry.peer === peer && entry.downstreamId === downstreamId) {
        this.sendQuietly({
          jsonrpc: '2.0',
          method: 'notifications/cancelled',
          params: { requestId: upstreamId, ...(reason ? { reason } : {}) },
        });
        this.settle(upstreamId, undefined);
        return;
      }
    }
  }

  /** Cancels every request of a peer that went away. */
  cancelAllOf(peer: UpstreamPeer, reason: string): void {
    for (const [upstreamId, entry] of this.pending) {
      if (entry.peer !== peer) continue;
      this.sendQuietly({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: upstreamId, reason } });
      this.settle(upstreamId, undefined);
    }
  }

  /** Sends a notification upstream. */
  notify(notification: RpcNotification): void {
    this.sendQuietly(notification);
  }

  /** Ends every pending request with an error naming the server; later forwards fail at once. */
  close(reason: string): void {
    this.closed = true;
    for (const [upstreamId, entry] of this.pending) {
      this.settle(upstreamId, errorResponse(entry.downstreamId, RpcErrorCode.ConnectionClosed, `server "${this.context.name}" ${reason}`));
    }
    for (const controller of this.serverRequests.values()) controller.abort();
    this.serverRequests.clear();
  }

  /** Routes one message from the upstream (`size`: its bytes on the wire); logs and drops what is not JSON-RPC (a JSON logger on stdout). */
  handle(message: RpcMessage, size = 0): void {
    const problem = checkMessage(message);
    if (problem) {
      this.context.log(`ignored a message from the server that is not JSON-RPC (${problem}): ${JSON.stringify(message).slice(0, 500)}`);
      return;
    }
    if (isResponse(message)) this.handleResponse(message, size);
    else if (isRequest(message)) this.handleServerRequest(message);
    else this.handleNotification(message);
  }

  private handleResponse(response: RpcResponse, size: number): void {
    const upstreamId = response.id;
    const entry = typeof upstreamId === 'number' ? this.pending.get(upstreamId) : undefined;
    if (!entry) {
      // A late answer to a request that timed out or was cancelled: nobody waits for it.
      return;
    }
    if (entry.inModern && 'result' in response) {
      if (response.result.resultType === 'input_required') {
        void this.answerQuestions(upstreamId as number, entry, response.result);
        return;
      }
      response.result = modern.internalResult(response.result);
    }
    response.id = entry.downstreamId;
    this.settle(upstreamId as number, response, size);
  }

  /**
   * A 2026 server needs input to go on with a call: its questions are asked of the call's client,
   * then the request is sent again, under a new id, with the answers and the server's state.
   */
  private async answerQuestions(upstreamId: number, entry: Pending, result: Record<string, unknown>): Promise<void> {
    if (++entry.rounds > modern.MAX_INPUT_ROUNDS) {
      const message = `server "${this.context.name}" asked for input more than ${modern.MAX_INPUT_ROUNDS} times in one call`;
      this.settle(upstreamId, errorResponse(entry.downstreamId, RpcErrorCode.InternalError, message));
      return;
    }
    entry.asking = new AbortController();
    const outcome = await modern.askForInput(entry.peer, result.inputRequests, entry.downstreamId, entry.asking.signal);
    // The call ended meanwhile (cancelled, timed out, the server went away).
    if (this.pending.get(upstreamId) !== entry) return;
    if ('error' in outcome) {
      this.settle(upstreamId, outcome.error);
      return;
    }
    const nextId = this.nextId++;
    entry.outgoing = modern.sentAgain(entry.outgoing, nextId, outcome.answers, result.requestState);
    this.pending.delete(upstreamId);
    if (entry.timer) clearTimeout(entry.timer);
    this.pending.set(nextId, entry);
    this.arm(nextId, entry);
    this.send(nextId, entry);
  }

  /** Sends a call's request upstream; a channel that cannot take it fails the call at once. */
  private send(upstreamId: number, entry: Pending): void {
    try {
      entry.bytesIn = this.channel.send(entry.outgoing);
    } catch (error) {
      const message = `server "${this.context.name}": ${(error as Error).message}`;
      this.settle(upstreamId, errorResponse(entry.downstreamId, RpcErrorCode.ConnectionClosed, message));
    }
  }

  /** Starts the call's timeout, under its upstream id. */
  private arm(upstreamId: number, entry: Pending): void {
    if (entry.timeoutMs > 0 && Number.isFinite(entry.timeoutMs)) {
      entry.timer = setTimeout(() => this.timeOut(upstreamId, entry.timeoutMs), entry.timeoutMs);
    }
  }

  private settle(upstreamId: number, response: RpcResponse | undefined, bytesOut = 0): void {
    const entry = this.pending.get(upstreamId);
    if (!entry) return;
    this.pending.delete(upstreamId);
    if (entry.timer) clearTimeout(entry.timer);
    entry.asking?.abort();
    if (entry.peer && this.context.onCall) this.record(entry, response, bytesOut);
    entry.resolve(response);
  }

  private record(entry: Pending, response: RpcResponse | undefined, bytesOut: number): void {
    let error: string | undefined;
    if (!response) error = 'cancelled';
    else if ('error' in response) error = response.error.message;
    else if (resultFields(response).isError === true) error = 'the tool reported an error';
    this.context.onCall!({
      peer: entry.peer!,
      method: entry.method,
      target: entry.target,
      startedAt: entry.startedAt,
      durationMs: Date.now() - entry.startedAt,
      ok: error === undefined,
      error,
      bytesIn: entry.bytesIn,
      bytesOut,
    });
  }

  private timeOut(upstreamId: number, timeoutMs: number): void {
    const entry = this.pending.get(upstreamId);
    if (!entry) return;
    const seconds = Math.round(timeoutMs / 100) / 10;
    this.sendQuietly({
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: upstreamId, reason: `timed out after ${seconds} s` },
    });
    this.settle(
      upstreamId,
      errorResponse(entry.downstreamId, RpcErrorCode.RequestTimeout, `server "${this.context.name}": request timed out after ${seconds} s`),
    );
  }

  /** The peer whose request is the newest still waiting: the likely cause of what the server sends now. */
  private likelyCause(capability?: string): Pending | undefined {
    let found: Pending | undefined;
    for (const entry of this.pending.values()) {
      if (!entry.peer) continue;
      if (capability && entry.peer.clientCapabilities?.[capability] === undefined) continue;
      found = entry;
    }
    return found;
  }

  private handleServerRequest(request: RpcRequest): void {
    if (request.method === 'ping') {
      this.sendQuietly({ jsonrpc: '2.0', id: request.id, result: {} });
      return;
    }
    const capability = CAPABILITY_OF_QUESTION[request.method];
    const cause = this.likelyCause(capability);
    let peer = cause?.peer;
    if (!peer) {
      for (const candidate of this.context.peers) {
        if (!capability || candidate.clientCapabilities?.[capability] !== undefined) peer = candidate;
      }
    }
    if (!peer) {
      const why = capability ? `no connected client supports ${capability}` : 'no client is connected';
      this.sendQuietly(errorResponse(request.id, RpcErrorCode.MethodNotFound, `${request.method}: ${why}`));
      return;
    }
    const controller = new AbortController();
    this.serverRequests.set(request.id, controller);
    peer.askClient(request, cause?.downstreamId, controller.signal).then(
      (reply) => {
        if (this.serverRequests.get(request.id) !== controller) return;
        this.serverRequests.delete(request.id);
        if (controller.signal.aborted) return;
        this.sendQuietly({ jsonrpc: '2.0', id: request.id, ...reply });
      },
      (error: unknown) => {
        this.serverRequests.delete(request.id);
        this.sendQuietly(errorResponse(request.id, RpcErrorCode.InternalError, (error as Error).message));
      },
    );
  }

  private handleNotification(received: RpcNotification): void {
    const notification = this.envelope ? modern.internalNotification(received) : received;
    if (!notification) return;
    const method = notification.method;
    if (method === 'notifications/progress') {
      this.routeProgress(notification);
    } else if (method === 'notifications/cancelled') {
      const requestId = notification.params?.requestId as RequestId | undefined;
      if (requestId !== undefined) this.serverRequests.get(requestId)?.abort();
    } else if (method === 'notifications/resources/updated') {
      const uri = notification.params?.uri;
      if (typeof uri === 'string') for (const peer of this.context.subscribersOf(uri)) peer.deliverNotification(notification);
    } else if (method === 'notifications/message') {
      const cause = this.likelyCause();
      if (cause?.peer) cause.peer.deliverNotification(notification, cause.downstreamId);
      else for (const peer of this.context.peers) peer.deliverNotification(notification);
    } else {
      for (const peer of this.context.peers) peer.deliverNotification(notification);
    }
    this.context.onNotification(notification);
  }

  private routeProgress(notification: RpcNotification): void {
    const token = notification.params?.progressToken;
    const entry = typeof token === 'number' ? this.pending.get(token) : undefined;
    if (!entry?.peer || entry.progressToken === undefined) {
      this.context.log(`progress for unknown token ${JSON.stringify(token)} dropped`);
      return;
    }
    entry.peer.deliverNotification(
      { ...notification, params: { ...notification.params, progressToken: entry.progressToken } },
      entry.downstreamId,
    );
  }

  private unavailable(id: RequestId): RpcResponse {
    return errorResponse(id, RpcErrorCode.ConnectionClosed, `server "${this.context.name}" is not running`);
  }

  private sendQuietly(message: RpcMessage): void {
    if (this.closed) return;
    try {
      this.channel.send(message);
    } catch (error) {
      this.context.log(`could not send to the server: ${(error as Error).message}`);
    }
  }
}
