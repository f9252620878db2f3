/**
 * The Streamable HTTP transport, server side (MCP 2025-03-26 … 2025-11-25), for one endpoint.
 *
 * Beyond the SDK's transport: a POST whose requests produce nothing but their responses is answered
 * with plain JSON (no SSE framing); a POST that does stream starts with a priming event carrying an
 * id and `retry`, so clients can resume it with `Last-Event-ID` after a dropped connection.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SUPPORTED_PROTOCOL_VERSIONS } from '../protocol/versions.js';
import { RpcErrorCode, errorResponse, isRequest, isResponse, stringifyMessage, type RequestId, type RpcMessage } from '../protocol/jsonrpc.js';
import type { DownstreamChannel, SessionFactory, SessionHandler } from './downstream.js';
import { HttpError, accepts, isJsonContentType, parseMessages, readBody, writeRpcError } from './http-io.js';
import { SseStream, parseEventId } from './sse-stream.js';

export interface StreamableHttpOptions {
  /** A session with no request and no open stream for this long is closed. */
  idleMs: number;
  maxBodyBytes: number;
  /** The `retry` advice sent in priming events. */
  retryMs: number;
  /** A call unanswered after this long is switched to a resumable SSE stream; default 50 ms. */
  streamAfterMs?: number;
}

/** The requests of one POST, and how their answers go back: still open (JSON or SSE undecided), or streaming. */
interface Exchange {
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
const PRIMING_VERSION = '2025-11-25';

/** Who asks, and where: a session is found only by the key that opened it, at the endpoint it was opened at. */
interface Caller {
  owner: string;
  scope: string;
}

class StreamableSession implements DownstreamChannel {
  handler!: SessionHandler;
  lastActivity = Date.now();
  readonly exchanges = new Map<RequestId, Exchange>();
  readonly streams = new Map<string, SseStream>();
  standalone: SseStream | undefined;
  /** The id of the `initialize` request that opened the session, until it is answered. */
  initializeId: RequestId | undefined;
  private streamCounter = 0;
  private closed = false;

  constructor(
    readonly sessionId: string,
    readonly protocolVersion: string,
    readonly owner: string,
    /** The endpoint (server name, or '' for the aggregate) the session was opened at: only there is it known. */
    readonly scope: string,
    private readonly endpoint: StreamableHttpEndpoint,
  ) {}

  get primes(): boolean {
    return this.protocolVersion >= PRIMING_VERSION;
  }

  get headers(): Record<string, string> {
    return { 'mcp-session-id': this.sessionId };
  }

  newStream(): SseStream {
    const stream = new SseStream(`${this.sessionId.slice(0, 8)}${(++this.streamCounter).toString(36)}`, this.endpoint.options.retryMs);
    this.streams.set(stream.id, stream);
    return stream;
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
    else this.standaloneStream().push(stringifyMessage(message));
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

  /** Called by the endpoint exactly once. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const exchange of new Set(this.exchanges.values())) {
      if (exchange.timer) clearTimeout(exchange.timer);
      if (exchange.res && !exchange.res.headersSent) writeRpcError(exchange.res, 404, RpcErrorCode.ConnectionClosed, 'Session closed');
    }
    this.exchanges.clear();
    for (const stream of this.streams.values()) stream.finish();
    this.standalone?.finish();
    this.handler.close();
  }

  get busy(): boolean {
    if (this.exchanges.size > 0 || this.standalone?.attached) return true;
    for (const stream of this.streams.values()) if (stream.attached) return true;
    return false;
  }

  private standaloneStream(): SseStream {
    this.standalone ??= new SseStream(`${this.sessionId.slice(0, 8)}g`, this.endpoint.options.retryMs);
    return this.standalone;
  }

  /** Arms the switch to a primed SSE stream for a slow answer (only for clients that can resume). */
  armStreaming(exchange: Exchange): void {
    if (exchange.acceptsSse && this.primes) exchange.timer = setTimeout(() => this.startStream(exchange), this.endpoint.options.streamAfterMs ?? DEFAULT_STREAM_AFTER_MS);
  }

  private deliver(exchange: Exchange, message: RpcMessage, response: boolean): void {
    if (!exchange.stream) {
      if (response && exchange.acceptsJson) {
        if (!exchange.batch) {
          this.writeJson(exchange, stringifyMessage(message));
          return;
        }
        exchange.held.push(message);
        if (exchange.remaining === 0) this.writeJson(exchange, stringifyMessage(exchange.held));
        return;
      }
      // Something to stream before the answer: this POST becomes an SSE stream.
      if (!this.startStream(exchange)) return;
    }
    exchange.stream!.push(stringifyMessage(message));
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
    for (const held of exchange.held) exchange.stream.push(stringifyMessage(held));
    exchange.held = [];
    return true;
  }

  private writeJson(exchange: Exchange, body: string): void {
    if (exchange.timer) clearTimeout(exchange.timer);
    exchange.timer = undefined;
    const res = exchange.res;
    exchange.res = undefined;
    if (!res || res.writableEnded) return;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...this.headers });
    res.end(body);
  }

  private complete(exchange: Exchange): void {
    if (exchange.timer) clearTimeout(exchange.timer);
    exchange.timer = undefined;
    if (exchange.stream) {
      exchange.stream.finish();
      this.forgetOldStreams();
    } else if (exchange.held.length > 0) {
      this.writeJson(exchange, stringifyMessage(exchange.batch ? exchange.held : exchange.held[0]!));
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
        this.streams.delete(id);
        finished--;
      }
    }
  }
}

export class StreamableHttpEndpoint {
  private readonly sessions = new Map<string, StreamableSession>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(readonly options: StreamableHttpOptions) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(25_000, Math.max(1_000, options.idleMs / 2)));
    this.sweeper.unref();
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /**
   * Handles one HTTP request; `factory` makes the handler of a new session. A session answers only
   * the key that opened it (`owner`: the caller's key id) at the URL it was opened at (`scope`: the
   * server name, '' for the aggregate).
   */
  async handle(req: IncomingMessage, res: ServerResponse, factory: SessionFactory, owner: string, scope: string): Promise<void> {
    const caller = { owner, scope };
    try {
      if (req.method === 'POST') await this.handlePost(req, res, factory, caller);
      else if (req.method === 'GET') this.handleGet(req, res, caller);
      else if (req.method === 'DELETE') this.handleDelete(req, res, caller);
      else writeRpcError(res, 405, RpcErrorCode.ConnectionClosed, 'Method not allowed.', { allow: 'GET, POST, DELETE' });
    } catch (error) {
      if (error instanceof HttpError) writeRpcError(res, error.status, error.rpcCode, error.message);
      else throw error;
    }
  }

  /** Closes one session (DELETE, idle, revoked token…): its handler is told, its streams end. */
  closeSession(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    this.sessions.delete(sessionId);
    session.dispose();
  }

  /** Closes every session that `predicate` selects (e.g. all sessions of a server being removed). */
  closeSessions(predicate: (session: DownstreamChannel) => boolean = () => true): void {
    for (const session of [...this.sessions.values()]) if (predicate(session)) this.closeSession(session.sessionId);
  }

  dispose(): void {
    clearInterval(this.sweeper);
    this.closeSessions();
  }

  private async handlePost(req: IncomingMessage, res: ServerResponse, factory: SessionFactory, caller: Caller): Promise<void> {
    const accept = req.headers.accept;
    const acceptsJson = !accept || accepts(accept, 'application/json');
    const acceptsSse = accepts(accept, 'text/event-stream');
    if (!acceptsJson && !acceptsSse) {
      throw new HttpError(406, RpcErrorCode.ConnectionClosed, 'Not Acceptable: Client must accept application/json and text/event-stream');
    }
    if (!isJsonContentType(req.headers['content-type'])) {
      throw new HttpError(415, RpcErrorCode.ConnectionClosed, 'Unsupported Media Type: Content-Type must be application/json');
    }
    const { messages, batch } = parseMessages(await readBody(req, this.options.maxBodyBytes));

    const initialize = messages.find((message) => isRequest(message) && message.method === 'initialize');
    let session: StreamableSession;
    if (initialize) {
      if (messages.length > 1) throw new HttpError(400, RpcErrorCode.InvalidRequest, 'Invalid Request: Only one initialization request is allowed');
      const requested = (initialize as { params?: { protocolVersion?: unknown } }).params?.protocolVersion;
      session = new StreamableSession(randomUUID(), typeof requested === 'string' ? requested : '', caller.owner, caller.scope, this);
      session.initializeId = (initialize as { id: RequestId }).id;
      session.handler = factory(session);
      this.sessions.set(session.sessionId, session);
    } else {
      session = this.sessionOf(req, caller);
    }
    session.lastActivity = Date.now();

    const requests = messages.filter(isRequest);
    if (requests.length === 0) {
      res.writeHead(202, session.headers);
      res.end();
      for (const message of messages) session.handler.handle(message);
      return;
    }
    const exchange: Exchange = { res, remaining: requests.length, batch, acceptsJson, acceptsSse, held: [], stream: undefined, timer: undefined };
    // An id already in flight on this session (or twice in this batch) cannot be told apart when
    // answered: it is refused at once, as JSON-RPC allows, and the first request goes on.
    const reused: RpcMessage[] = [];
    const accepted = messages.filter((message) => {
      if (!isRequest(message)) return true;
      if (!session.exchanges.has(message.id)) {
        session.exchanges.set(message.id, exchange);
        return true;
      }
      reused.push(errorResponse(message.id, RpcErrorCode.InvalidRequest, `Invalid Request: the id ${JSON.stringify(message.id)} is already in use on this session`));
      return false;
    });
    res.on('close', () => {
      // A client that leaves before a JSON answer cannot resume it; an SSE stream can be resumed.
      if (exchange.res !== res) return;
      exchange.res = undefined;
      if (exchange.timer) clearTimeout(exchange.timer);
    });
    session.armStreaming(exchange);
    for (const response of reused) session.refuse(exchange, response);
    for (const message of accepted) session.handler.handle(message);
  }

  private handleGet(req: IncomingMessage, res: ServerResponse, caller: Caller): void {
    if (!accepts(req.headers.accept, 'text/event-stream')) {
      throw new HttpError(406, RpcErrorCode.ConnectionClosed, 'Not Acceptable: Client must accept text/event-stream');
    }
    const session = this.sessionOf(req, caller);
    session.lastActivity = Date.now();
    const lastEventId = req.headers['last-event-id'];
    if (typeof lastEventId === 'string' && lastEventId) {
      const parsed = parseEventId(lastEventId);
      const stream = parsed && (session.streams.get(parsed.streamId) ?? (session.standalone?.id === parsed.streamId ? session.standalone : undefined));
      if (!parsed || !stream) throw new HttpError(400, RpcErrorCode.ConnectionClosed, `Bad Request: unknown event id ${lastEventId}`);
      if (stream.attached) throw new HttpError(409, RpcErrorCode.ConnectionClosed, 'Conflict: Stream already has an active connection');
      stream.attach(res, session.headers, { prime: false, afterSeq: parsed.seq });
      return;
    }
    session.standalone ??= new SseStream(`${session.sessionId.slice(0, 8)}g`, this.options.retryMs);
    if (session.standalone.attached) {
      throw new HttpError(409, RpcErrorCode.ConnectionClosed, 'Conflict: Only one SSE stream is allowed per session');
    }
    session.standalone.attach(res, session.headers, { prime: session.primes });
  }

  private handleDelete(req: IncomingMessage, res: ServerResponse, caller: Caller): void {
    const session = this.sessionOf(req, caller);
    this.closeSession(session.sessionId);
    res.writeHead(200, { 'content-length': 0 });
    res.end();
  }

  private sessionOf(req: IncomingMessage, caller: Caller): StreamableSession {
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId !== 'string' || !sessionId) {
      throw new HttpError(400, RpcErrorCode.ConnectionClosed, 'Bad Request: Mcp-Session-Id header is required');
    }
    const session = this.sessions.get(sessionId);
    // Another key's session, or one of another endpoint, is not found either: its id reveals nothing and grants nothing.
    if (!session || session.owner !== caller.owner || session.scope !== caller.scope) throw new HttpError(404, -32001, 'Session not found');
    const version = req.headers['mcp-protocol-version'];
    if (typeof version === 'string' && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      throw new HttpError(
        400,
        RpcErrorCode.ConnectionClosed,
        `Bad Request: Unsupported protocol version: ${version} (supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`,
      );
    }
    return session;
  }

  private sweep(): void {
    const now = Date.now();
    for (const session of [...this.sessions.values()]) {
      if (session.busy) {
        session.lastActivity = now;
        session.standalone?.keepAlive();
        for (const stream of session.streams.values()) if (!stream.finished) stream.keepAlive();
        continue;
      }
      if (now - session.lastActivity > this.options.idleMs) this.closeSession(session.sessionId);
    }
  }
}

