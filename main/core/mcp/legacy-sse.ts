/**
 * The legacy HTTP+SSE transport (MCP 2024-11-05), as Cline's `"type": "sse"` uses it:
 * `GET /sse/<server>` opens the stream and names the POST endpoint; messages arrive on
 * `POST /messages/<server>?sessionId=…` and every answer goes back over the stream.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RpcErrorCode, errorResponse, isRequest, isResponse, type RequestId, type RpcMessage } from '../protocol/jsonrpc.js';
import { serializeMessage, wireConcat, writeWire } from '../protocol/raw-response.js';
import type { DownstreamChannel, SessionFactory, SessionHandler } from './downstream.js';
import { HttpError, SSE_HEADERS, isJsonContentType, parseMessages, readBody, writeRpcError } from './http-io.js';
import type { SendLedger, SendSession } from './send-ledger.js';

export interface LegacySseOptions {
  maxBodyBytes: number;
  keepAliveMs: number;
  /** Watches what clients have not read yet, over every endpoint and transport. */
  ledger: SendLedger;
}

class LegacySession implements DownstreamChannel, SendSession {
  readonly transport = 'legacy SSE';
  readonly singleStream = true;
  handler!: SessionHandler;
  private closed = false;
  /** Ids of the client's requests not answered yet: a reused one could not be told apart. */
  private readonly inFlight = new Set<RequestId>();

  constructor(
    readonly sessionId: string,
    readonly owner: string,
    /** The endpoint (server name, or '' for the aggregate) the session was opened at: its messages must come there. */
    readonly scope: string,
    private readonly res: ServerResponse,
    private readonly onClose: (session: LegacySession) => void,
    private readonly ledger: SendLedger,
  ) {
    // The stream is the session: a client that stops reading it loses both.
    ledger.track(res, this, () => this.close());
  }

  send(message: RpcMessage): void {
    if (isResponse(message) && message.id !== null) this.inFlight.delete(message.id);
    this.write(message);
  }

  /** Hands the client's messages to the session; a request whose id is in flight is refused at once. */
  receive(messages: readonly RpcMessage[]): void {
    for (const message of messages) {
      if (isRequest(message)) {
        if (this.inFlight.has(message.id)) {
          this.write(
            errorResponse(
              message.id,
              RpcErrorCode.InvalidRequest,
              `Invalid Request: the id ${JSON.stringify(message.id)} is already in use on this session`,
            ),
          );
          continue;
        }
        this.inFlight.add(message.id);
      }
      this.handler.handle(message);
    }
  }

  abandon(requestId: RequestId): void {
    this.inFlight.delete(requestId);
  }

  private write(message: RpcMessage): void {
    if (this.closed) return;
    const text = wireConcat('event: message\ndata: ', serializeMessage(message), '\n\n');
    writeWire(this.res, text);
    this.ledger.wrote(this.res, text.length);
  }

  keepAlive(): void {
    if (this.closed) return;
    this.res.write(': keepalive\n\n');
    this.ledger.wrote(this.res, 0);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.res.end();
    this.onClose(this);
    this.handler.close();
  }
}

export class LegacySseEndpoint {
  private readonly sessions = new Map<string, LegacySession>();
  private readonly keepAlive: NodeJS.Timeout;

  constructor(private readonly options: LegacySseOptions) {
    this.keepAlive = setInterval(() => {
      for (const session of this.sessions.values()) session.keepAlive();
    }, options.keepAliveMs);
    this.keepAlive.unref();
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** `GET /sse/<server>`: opens a session of `owner` at `scope` whose POST endpoint is `messagesPath`. */
  open(req: IncomingMessage, res: ServerResponse, messagesPath: string, factory: SessionFactory, owner: string, scope: string): void {
    const session = new LegacySession(
      randomUUID(),
      owner,
      scope,
      res,
      (closed) => this.sessions.delete(closed.sessionId),
      this.options.ledger,
    );
    res.writeHead(200, SSE_HEADERS);
    res.write(`event: endpoint\ndata: ${messagesPath}?sessionId=${session.sessionId}\n\n`);
    this.sessions.set(session.sessionId, session);
    session.handler = factory(session);
    // The client going away ends the session: its in-flight calls are cancelled upstream.
    res.on('close', () => session.close());
    req.socket.setKeepAlive(true);
  }

  /** `POST /messages/<server>?sessionId=…`: a session is found only by its key, at the endpoint it was opened at. */
  async post(req: IncomingMessage, res: ServerResponse, sessionId: string | undefined, owner: string, scope: string): Promise<void> {
    try {
      const found = sessionId ? this.sessions.get(sessionId) : undefined;
      const session = found?.owner === owner && found.scope === scope ? found : undefined;
      if (!sessionId) throw new HttpError(400, RpcErrorCode.InvalidRequest, 'Bad Request: the sessionId query parameter is required');
      if (!session) throw new HttpError(404, -32001, 'Session not found');
      if (!isJsonContentType(req.headers['content-type'])) {
        throw new HttpError(415, RpcErrorCode.InvalidRequest, 'Unsupported Media Type: Content-Type must be application/json');
      }
      const { messages } = parseMessages(await readBody(req, this.options.maxBodyBytes));
      res.writeHead(202, { 'content-type': 'text/plain', 'content-length': 8 });
      res.end('Accepted');
      session.receive(messages);
    } catch (error) {
      if (error instanceof HttpError) writeRpcError(res, error.status, error.rpcCode, error.message);
      else throw error;
    }
  }

  closeSessions(predicate: (session: DownstreamChannel) => boolean = () => true): void {
    for (const session of [...this.sessions.values()]) if (predicate(session)) session.close();
  }

  dispose(): void {
    clearInterval(this.keepAlive);
    this.closeSessions();
  }
}
