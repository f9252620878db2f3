/**
 * The Streamable HTTP transport, server side, for one endpoint: sessions for MCP 2025-03-26 …
 * 2025-11-25, and the stateless requests of 2026-07-28 on the same URL. The body of each POST says
 * which (modern-wire.ts); a 2026 request is one exchange of its own (modern-exchange.ts).
 *
 * Beyond the SDK's transport: a POST whose requests produce nothing but their responses is answered
 * with plain JSON (no SSE framing); a POST that does stream starts with a priming event carrying an
 * id and `retry`, so clients can resume it with `Last-Event-ID` after a dropped connection.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SUPPORTED_PROTOCOL_VERSIONS } from '../protocol/versions.js';
import { RpcErrorCode, errorResponse, isRequest, type RequestId, type RpcMessage } from '../protocol/jsonrpc.js';
import type { DownstreamChannel, SessionFactory } from './downstream.js';
import { HttpError, accepts, isJsonContentType, parseMessages, readBody, writeJson, writeRpcError } from './http-io.js';
import { ModernExchange } from './modern-exchange.js';
import { ListenStream } from './modern-listen.js';
import { InputBridge } from './input-bridge.js';
import { ModernError, checkModern, classify, removedMethod, targetOf, type WireRefusal } from './modern-wire.js';
import type { SendLedger } from './send-ledger.js';
import { parseEventId } from './sse-stream.js';
import { StreamableSession, type Exchange, type SessionHost, type StreamableHttpOptions } from './streamable-session.js';

export type { StreamableHttpOptions } from './streamable-session.js';

/** Who asks, and where: a session is found only by the key that opened it, at the endpoint it was opened at. */
interface Caller {
  owner: string;
  scope: string;
}

/** How the endpoint makes sessions: one for a 2025 client's session, one for a single 2026 request. */
export interface SessionFactories {
  session: SessionFactory;
  request: SessionFactory;
}

export class StreamableHttpEndpoint implements SessionHost {
  private readonly sessions = new Map<string, StreamableSession>();
  private readonly sweeper: NodeJS.Timeout;
  /** Calls of 2026-07-28 clients waiting for the answers to a server's questions. */
  private readonly bridge: InputBridge;
  /** The open `subscriptions/listen` streams of 2026-07-28 clients. */
  private readonly listeners = new Set<ListenStream>();
  private replayChars = 0;

  constructor(
    readonly options: StreamableHttpOptions,
    readonly ledger: SendLedger,
  ) {
    this.bridge = new InputBridge({ waitMs: options.limits.inputWaitMs, perKey: options.limits.inputWaitingPerKey });
    this.sweeper = setInterval(() => this.sweep(), Math.min(25_000, Math.max(1_000, options.idleMs / 2)));
    this.sweeper.unref();
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Characters all sessions keep for replay. */
  get replaySize(): number {
    return this.replayChars;
  }

  replayChanged(delta: number): boolean {
    this.replayChars += delta;
    return this.replayChars > this.options.limits.replayTotalChars;
  }

  trimReplay(): void {
    while (this.replayChars > this.options.limits.replayTotalChars) {
      let largest: StreamableSession | undefined;
      for (const session of this.sessions.values()) if (!largest || session.replaySize > largest.replaySize) largest = session;
      if (!largest?.evictOne()) return;
    }
  }

  /**
   * Handles one HTTP request; `factories` make the handler of a new session. A session answers only
   * the key that opened it (`owner`: the caller's key id) at the URL it was opened at (`scope`: the
   * server name, '' for the aggregate).
   */
  async handle(req: IncomingMessage, res: ServerResponse, factories: SessionFactories, owner: string, scope: string): Promise<void> {
    const caller = { owner, scope };
    try {
      if (req.method === 'POST') await this.handlePost(req, res, factories, caller);
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

  /** Closes every session (and 2026 listener) that `predicate` selects (e.g. all sessions of a server being removed). */
  closeSessions(predicate: (session: DownstreamChannel) => boolean = () => true): void {
    for (const session of [...this.sessions.values()]) if (predicate(session)) this.closeSession(session.sessionId);
    for (const listener of [...this.listeners]) if (predicate(listener)) listener.close();
  }

  dispose(): void {
    clearInterval(this.sweeper);
    this.closeSessions();
    this.bridge.dispose();
  }

  private async handlePost(req: IncomingMessage, res: ServerResponse, factories: SessionFactories, caller: Caller): Promise<void> {
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
    const era = classify(messages, batch, req.headers);
    if (era.era === 'refused') return writeRefusal(res, era.id, era.refusal);
    if (era.era === 'modern') return this.serveModern(req, res, era.message, factories.request, caller, acceptsSse);
    const factory = factories.session;

    const initialize = messages.find((message) => isRequest(message) && message.method === 'initialize');
    let session: StreamableSession;
    if (initialize) {
      if (messages.length > 1)
        throw new HttpError(400, RpcErrorCode.InvalidRequest, 'Invalid Request: Only one initialization request is allowed');
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
    // A client that sends a new request is past the streams it already got in full.
    if (requests.length > 0) session.acknowledge();
    if (requests.length === 0) {
      res.writeHead(202, session.headers);
      res.end();
      for (const message of messages) session.handler.handle(message);
      return;
    }
    const exchange: Exchange = {
      res,
      remaining: requests.length,
      batch,
      acceptsJson,
      acceptsSse,
      held: [],
      stream: undefined,
      timer: undefined,
    };
    // An id already in flight on this session (or twice in this batch) cannot be told apart when
    // answered: it is refused at once, as JSON-RPC allows, and the first request goes on.
    const reused: RpcMessage[] = [];
    const accepted = messages.filter((message) => {
      if (!isRequest(message)) return true;
      if (!session.exchanges.has(message.id)) {
        session.exchanges.set(message.id, exchange);
        return true;
      }
      reused.push(
        errorResponse(
          message.id,
          RpcErrorCode.InvalidRequest,
          `Invalid Request: the id ${JSON.stringify(message.id)} is already in use on this session`,
        ),
      );
      return false;
    });
    res.on('close', () => {
      // A client that leaves before a JSON answer cannot resume it: its calls are cancelled. An SSE
      // stream can be resumed: the session gives its client a grace to come back.
      if (exchange.res !== res) return;
      exchange.res = undefined;
      if (exchange.timer) clearTimeout(exchange.timer);
      session.clientLeft(exchange);
    });
    session.armStreaming(exchange);
    for (const response of reused) session.refuse(exchange, response);
    for (const message of accepted) session.handler.handle(message);
  }

  /** One 2026-07-28 message: checked against its headers, then served by an exchange of its own. */
  private serveModern(
    req: IncomingMessage,
    res: ServerResponse,
    message: RpcMessage,
    factory: SessionFactory,
    caller: Caller,
    acceptsSse: boolean,
  ): void {
    const id = isRequest(message) ? message.id : null;
    const checked = checkModern(message, req.headers);
    if (!('ok' in checked)) return writeRefusal(res, id, checked);
    // A notification has no session to reach in a stateless revision: taken, and nothing to do.
    if (!isRequest(message)) {
      res.writeHead(202);
      res.end();
      return;
    }
    const removed = removedMethod(message.method);
    if (removed) return writeRefusal(res, id, removed);
    if (message.method === 'subscriptions/listen') {
      if (!acceptsSse) {
        return writeRefusal(res, id, {
          status: 406,
          code: -32600,
          message: 'Not Acceptable: subscriptions/listen answers with text/event-stream',
        });
      }
      const listener = new ListenStream(caller.owner, message, checked.envelope, res, {
        ledger: this.ledger,
        onClose: (closed) => this.listeners.delete(closed),
      });
      this.listeners.add(listener);
      listener.start(factory);
      return;
    }
    const state = message.params?.requestState;
    if (state !== undefined) {
      // A retry with the client's answers: the call that waits for them goes on, answering here.
      const taken = this.bridge.take(state, { keyId: caller.owner, scope: caller.scope }, message.method, targetOf(message));
      if (!taken.ok) return writeRefusal(res, id, { status: 400, code: ModernError.InvalidParams, message: taken.message });
      (taken.call as ModernExchange).resume(message, checked.envelope, res, acceptsSse);
      return;
    }
    const exchange = new ModernExchange(caller.owner, message, checked.envelope, {
      ledger: this.ledger,
      bridge: this.bridge,
      scope: caller.scope,
    });
    exchange.start(factory, res, acceptsSse);
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
      const stream =
        parsed && (session.streams.get(parsed.streamId) ?? (session.standalone?.id === parsed.streamId ? session.standalone : undefined));
      if (!parsed || !stream) throw new HttpError(400, RpcErrorCode.ConnectionClosed, `Bad Request: unknown event id ${lastEventId}`);
      if (stream.attached) throw new HttpError(409, RpcErrorCode.ConnectionClosed, 'Conflict: Stream already has an active connection');
      if (!stream.canResumeAfter(parsed.seq)) {
        throw new HttpError(
          400,
          RpcErrorCode.ConnectionClosed,
          `Bad Request: the events after ${lastEventId} are no longer kept (replay is bounded); start the request again`,
        );
      }
      stream.attach(res, session.headers, { prime: false, afterSeq: parsed.seq });
      return;
    }
    const standalone = session.standaloneStream();
    if (standalone.attached) {
      throw new HttpError(409, RpcErrorCode.ConnectionClosed, 'Conflict: Only one SSE stream is allowed per session');
    }
    standalone.attach(res, session.headers, { prime: session.primes });
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

/** A 2026-07-28 refusal: its HTTP status, and the JSON-RPC error answered to the request's id. */
function writeRefusal(res: ServerResponse, id: RequestId | null, refusal: WireRefusal): void {
  writeJson(res, refusal.status, errorResponse(id, refusal.code, refusal.message, refusal.data));
}
