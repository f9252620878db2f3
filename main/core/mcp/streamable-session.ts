/**
 * One Streamable HTTP session: the exchanges of its POSTs (answered as JSON, or switched to a
 * resumable SSE stream), its streams and what they keep for replay — bounded per session and, with
 * its endpoint, in total; streams the client has acknowledged by moving on are dropped.
 */
import type { ServerResponse } from 'node:http';
import { RpcErrorCode, isResponse, type RequestId, type RpcMessage } from '../protocol/jsonrpc.js';
import { serializeMessage, wireByteLength, writeWire, type Wire } from '../protocol/raw-response.js';
import type { DownstreamChannel, SessionHandler } from './downstream.js';
import { writeRpcError } from './http-io.js';
import type { McpLimits } from './limits.js';
import type { SendLedger, SendSession } from './send-ledger.js';
import { SseStream, type SseStreamOptions } from './sse-stream.js';

export interface StreamableHttpOptions {
  /** A session with no request and no open stream for this long is closed. */
  idleMs: number;
  maxBodyBytes: number;
  /** The `retry` advice sent in priming events. */
  retryMs: number;
  /** A call unanswered after this long is switched to a resumable SSE stream; default 50 ms. */
  streamAfterMs?: number;
  /** Unsent output and replay, at most. */
  limits: McpLimits;
  /** Where a session closed for its client not reading is reported. */
  log: (line: string) => void;
}

/** The requests of one POST, and how their answers go back: still open (JSON or SSE undecided), or streaming. */
export interface Exchange {
  res: ServerResponse | undefined;
  remaining: number;
  batch: boolean;
  acceptsJson: boolean;
  acceptsSse: boolean;
  /** Batch responses held back to be sent as one JSON array. */
  held: RpcMessage[];
  stream: SseStream | undefined;
  /** Turns a slow answer into a primed SSE stream, so the client can resume it if the connection drops. */
  timer: NodeJS.Timeout | undefined;
}

/**
 * A call still unanswered after this long is switched to SSE with a priming event: fast calls stay
 * plain JSON, slow ones become resumable.
 */
const DEFAULT_STREAM_AFTER_MS = 50;
/** Streams finished but kept for replay, per session. */
const KEPT_FINISHED_STREAMS = 32;

/** What a session needs of its endpoint. */
export interface SessionHost {
  readonly options: StreamableHttpOptions;
  /** Watches what clients have not read yet, over every endpoint and transport. */
  readonly ledger: SendLedger;
  /** Ends the session `sessionId` (DELETE, idle, a client that stopped reading…). */
  closeSession(sessionId: string): void;
  /** The replay all sessions keep changed by `delta` characters; answers whether the total is over its limit. */
  replayChanged(delta: number): boolean;
  /** Frees replay of the sessions that keep the most, until the total is within its limit. */
  trimReplay(): void;
}
const PRIMING_VERSION = '2025-11-25';

export class StreamableSession implements DownstreamChannel, SendSession {
  readonly transport = 'Streamable HTTP';
  handler!: SessionHandler;
  lastActivity = Date.now();
  readonly exchanges = new Map<RequestId, Exchange>();
  readonly streams = new Map<string, SseStream>();
  standalone: SseStream | undefined;
  /** The id of the `initialize` request that opened the session, until it is answered. */
  initializeId: RequestId | undefined;
  private streamCounter = 0;
  private readonly streamOptions: SseStreamOptions;
  private closed = false;
  /** Streams whose client dropped the connection: cancelled unless resumed before the timer fires. */
  private readonly dropped = new Map<SseStream, NodeJS.Timeout>();

  constructor(
    readonly sessionId: string,
    readonly protocolVersion: string,
    readonly owner: string,
    /** The endpoint (server name, or '' for the aggregate) the session was opened at: only there is it known. */
    readonly scope: string,
    private readonly endpoint: SessionHost,
  ) {
    this.streamOptions = {
      retryMs: endpoint.options.retryMs,
      ledger: endpoint.ledger,
      session: this,
      onGivenUp: (stream) => this.streamGivenUp(stream),
      onKept: (delta) => this.kept(delta),
      onDropped: (stream) => this.streamDropped(stream),
    };
  }

  get primes(): boolean {
    return this.protocolVersion >= PRIMING_VERSION;
  }

  get headers(): Record<string, string> {
    return { 'mcp-session-id': this.sessionId };
  }

  newStream(): SseStream {
    const stream = new SseStream(`${this.sessionId.slice(0, 8)}${(++this.streamCounter).toString(36)}`, this.streamOptions);
    this.streams.set(stream.id, stream);
    return stream;
  }

  /** Characters this session keeps for replay. */
  get replaySize(): number {
    return this.replayChars;
  }

  /**
   * The client sent a new request: streams it was given in full over a connection that ended
   * cleanly are behind it, and nothing of them is kept any longer.
   */
  acknowledge(): void {
    for (const [id, stream] of this.streams) {
      if (!stream.delivered || stream.attached) continue;
      stream.dropAll();
      this.streams.delete(id);
    }
  }

  /** Frees one piece of replay: a whole finished stream, else the oldest event kept; false when none is left. */
  evictOne(): boolean {
    for (const [id, stream] of this.streams) {
      if (stream.finished && !stream.attached) {
        stream.dropAll();
        this.streams.delete(id);
        return true;
      }
    }
    for (const stream of [...this.streams.values(), ...(this.standalone ? [this.standalone] : [])])
      if (stream.dropOldest() > 0) return true;
    return false;
  }

  private replayChars = 0;

  /** Keeps this session, and all of them, within their replay limits. */
  private kept(delta: number): void {
    this.replayChars += delta;
    const overTotal = this.endpoint.replayChanged(delta);
    if (delta <= 0) return;
    while (this.replayChars > this.endpoint.options.limits.replayPerSessionChars && this.evictOne());
    if (overTotal) this.endpoint.trimReplay();
  }

  send(message: RpcMessage, relatedRequestId?: RequestId): void {
    if (this.closed) return;
    if (isResponse(message)) {
      const exchange = message.id === null ? undefined : this.exchanges.get(message.id);
      if (!exchange) return; // abandoned, or answered already
      this.exchanges.delete(message.id as RequestId);
      exchange.remaining--;
      this.deliver(exchange, message, true);
      if (message.id === this.initializeId) {
        this.initializeId = undefined;
        // A session whose initialize failed is of no use: the client must start over.
        if ('error' in message) this.close();
      }
      return;
    }
    const exchange = relatedRequestId === undefined ? undefined : this.exchanges.get(relatedRequestId);
    if (exchange) this.deliver(exchange, message, false);
    else this.standaloneStream().push(serializeMessage(message));
  }

  /** Answers a request of `exchange` that never reached the handler (a reused id). */
  refuse(exchange: Exchange, response: RpcMessage): void {
    exchange.remaining--;
    this.deliver(exchange, response, true);
  }

  abandon(requestId: RequestId): void {
    const exchange = this.exchanges.get(requestId);
    if (!exchange) return;
    this.exchanges.delete(requestId);
    exchange.remaining--;
    if (exchange.remaining === 0) this.complete(exchange);
  }

  close(): void {
    this.endpoint.closeSession(this.sessionId);
  }

  /** The client left before the JSON answer of `exchange`: nobody can ever get it, so its calls are cancelled now. */
  clientLeft(exchange: Exchange): void {
    this.cancelUnanswered(exchange, 'the client disconnected before the answer');
  }

  /**
   * A stream's connection dropped before its calls were answered. The MCP specification has the
   * client resume it (`Last-Event-ID`) rather than take the drop for a cancellation; a client that
   * has not come back after the grace is gone, and its calls are cancelled upstream.
   */
  private streamDropped(stream: SseStream): void {
    if (stream === this.standalone) return; // the GET stream carries no calls
    const grace = this.endpoint.options.limits.resumeGraceMs;
    clearTimeout(this.dropped.get(stream));
    const timer = setTimeout(() => {
      this.dropped.delete(stream);
      if (stream.attached || stream.finished || this.closed) return;
      for (const exchange of new Set(this.exchanges.values())) {
        if (exchange.stream === stream) this.cancelUnanswered(exchange, `the client disconnected and did not resume within ${grace} ms`);
      }
    }, grace);
    timer.unref();
    this.dropped.set(stream, timer);
  }

  /**
   * The ledger closed a stream whose client stopped reading: its calls still unanswered are
   * cancelled upstream, as for a client that left, and a GET stream can be opened again.
   */
  private streamGivenUp(stream: SseStream): void {
    clearTimeout(this.dropped.get(stream));
    this.dropped.delete(stream);
    if (stream === this.standalone) {
      this.standalone = undefined;
      return;
    }
    for (const exchange of new Set(this.exchanges.values())) {
      if (exchange.stream === stream) this.cancelUnanswered(exchange, 'the client stopped reading its stream');
    }
  }

  /** Cancels the calls of `exchange` still unanswered, as the client's `notifications/cancelled` would. */
  private cancelUnanswered(exchange: Exchange, reason: string): void {
    for (const [requestId, pending] of [...this.exchanges]) {
      if (pending !== exchange || requestId === this.initializeId) continue;
      this.handler.handle({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId, reason } });
    }
  }

  /** Called by the endpoint exactly once. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.dropped.values()) clearTimeout(timer);
    this.dropped.clear();
    for (const exchange of new Set(this.exchanges.values())) {
      if (exchange.timer) clearTimeout(exchange.timer);
      if (exchange.res && !exchange.res.headersSent) writeRpcError(exchange.res, 404, RpcErrorCode.ConnectionClosed, 'Session closed');
    }
    this.exchanges.clear();
    for (const stream of this.streams.values()) {
      stream.finish();
      stream.dropAll();
    }
    this.standalone?.finish();
    this.standalone?.dropAll();
    this.handler.close();
  }

  get busy(): boolean {
    if (this.exchanges.size > 0 || this.standalone?.attached) return true;
    for (const stream of this.streams.values()) if (stream.attached) return true;
    return false;
  }

  /** The session's stream for messages outside any request (GET). */
  standaloneStream(): SseStream {
    this.standalone ??= new SseStream(`${this.sessionId.slice(0, 8)}g`, this.streamOptions);
    return this.standalone;
  }

  /** Arms the switch to a primed SSE stream for a slow answer (only for clients that can resume). */
  armStreaming(exchange: Exchange): void {
    if (exchange.acceptsSse && this.primes)
      exchange.timer = setTimeout(() => this.startStream(exchange), this.endpoint.options.streamAfterMs ?? DEFAULT_STREAM_AFTER_MS);
  }

  private deliver(exchange: Exchange, message: RpcMessage, response: boolean): void {
    if (!exchange.stream) {
      if (response && exchange.acceptsJson) {
        if (!exchange.batch) {
          this.writeJson(exchange, serializeMessage(message));
          return;
        }
        exchange.held.push(message);
        if (exchange.remaining === 0) this.writeJson(exchange, serializeMessage(exchange.held));
        return;
      }
      // Something to stream before the answer: this POST becomes an SSE stream.
      if (!this.startStream(exchange)) return;
    }
    exchange.stream!.push(serializeMessage(message));
    if (exchange.remaining === 0) this.complete(exchange);
  }

  /** Switches a POST to an SSE stream (priming event first). False when the client cannot take one. */
  private startStream(exchange: Exchange): boolean {
    if (exchange.timer) clearTimeout(exchange.timer);
    exchange.timer = undefined;
    if (exchange.stream) return true;
    if (!exchange.acceptsSse || !exchange.res) return false;
    exchange.stream = this.newStream();
    exchange.stream.attach(exchange.res, this.headers, { prime: this.primes });
    exchange.res = undefined;
    for (const held of exchange.held) exchange.stream.push(serializeMessage(held));
    exchange.held = [];
    return true;
  }

  private writeJson(exchange: Exchange, body: Wire): void {
    if (exchange.timer) clearTimeout(exchange.timer);
    exchange.timer = undefined;
    const res = exchange.res;
    exchange.res = undefined;
    if (!res || res.writableEnded) return;
    const bytes = wireByteLength(body);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes, ...this.headers });
    writeWire(res, body);
    res.end();
    // What the client has not taken yet counts against its session's bound (measured in bytes, as Node queues them).
    this.endpoint.ledger.track(res, this, () => {});
    this.endpoint.ledger.wrote(res, bytes);
  }

  private complete(exchange: Exchange): void {
    if (exchange.timer) clearTimeout(exchange.timer);
    exchange.timer = undefined;
    if (exchange.stream) {
      exchange.stream.finish();
      this.forgetOldStreams();
    } else if (exchange.held.length > 0) {
      this.writeJson(exchange, serializeMessage(exchange.batch ? exchange.held : exchange.held[0]!));
    } else if (exchange.res && !exchange.res.headersSent) {
      // Every request was abandoned (cancelled): nothing to say.
      exchange.res.writeHead(202, this.headers);
      exchange.res.end();
      exchange.res = undefined;
    }
  }

  private forgetOldStreams(): void {
    let finished = 0;
    for (const stream of this.streams.values()) if (stream.finished) finished++;
    for (const [id, stream] of this.streams) {
      if (finished <= KEPT_FINISHED_STREAMS) break;
      if (stream.finished && !stream.attached) {
        stream.dropAll();
        this.streams.delete(id);
        finished--;
      }
    }
  }
}
