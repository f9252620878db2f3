/**
 * One MCP 2026-07-28 request over one HTTP exchange. The request gets a session of its own, the
 * same proxy or aggregate session a 2025 client gets, told what the request's `_meta` says of the
 * client (as a 2025 `initialize` would). Its answer goes back as JSON, or as an SSE stream when
 * progress or log messages come first. There is no session id, no event id and no resumption: a
 * client that closes the response cancels the call upstream.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  errorResponse,
  isRequest,
  isResponse,
  stringifyMessage,
  stringifyResultWith,
  type RequestId,
  type RpcMessage,
  type RpcRequest,
  type RpcResponse,
} from '../protocol/jsonrpc.js';
import { LATEST_PROTOCOL_VERSION } from '../protocol/versions.js';
import type { DownstreamChannel, SessionFactory, SessionHandler } from './downstream.js';
import { SSE_HEADERS } from './http-io.js';
import { discoverResult, logWanted, resultAdditions, statusOfError, type RequestEnvelope } from './modern-wire.js';
import type { SendLedger, SendSession } from './send-ledger.js';

/** The id of the `initialize` the exchange gives its session: never a client's (clients do not send NUL). */
const INITIALIZE_ID = '\u0000mcp-orch-initialize';

/** A 2026 client takes no request from the server: what its session is answered when it asks one. */
const NO_SERVER_REQUESTS = -32601;

export interface ModernExchangeOptions {
  ledger: SendLedger;
  /** The client takes an SSE answer: progress and log messages can reach it. */
  acceptsSse: boolean;
}

export class ModernExchange implements DownstreamChannel, SendSession {
  readonly transport = 'Streamable HTTP (2026-07-28)';
  readonly sessionId = `request-${randomUUID()}`;
  private handler: SessionHandler | undefined;
  private streaming = false;
  private finished = false;

  constructor(
    private readonly res: ServerResponse,
    readonly owner: string,
    private readonly request: RpcRequest,
    private readonly envelope: RequestEnvelope,
    private readonly options: ModernExchangeOptions,
  ) {}

  /** Makes the request's session with `factory` and runs the request. */
  start(factory: SessionFactory): void {
    this.res.on('close', () => {
      if (!this.finished) this.cancel('the client closed the response before the answer');
    });
    this.handler = factory(this);
    this.handler.handle({
      jsonrpc: '2.0',
      id: INITIALIZE_ID,
      method: 'initialize',
      params: {
        protocolVersion: LATEST_PROTOCOL_VERSION,
        capabilities: this.envelope.capabilities,
        clientInfo: this.envelope.clientInfo ?? { name: '(a 2026-07-28 client)', version: '' },
      },
    });
  }

  send(message: RpcMessage, relatedRequestId?: RequestId): void {
    if (this.finished) return;
    if (isResponse(message)) {
      if (message.id === INITIALIZE_ID) this.initialized(message);
      else if (message.id === this.request.id) this.answer(message);
      return;
    }
    if (isRequest(message)) {
      // 2026-07-28 has no requests from server to client: the upstream's question is turned down.
      const question = message.id;
      queueMicrotask(() =>
        this.handler?.handle(
          errorResponse(
            question,
            NO_SERVER_REQUESTS,
            `the client speaks MCP 2026-07-28, which takes no ${message.method} request mid-call`,
          ),
        ),
      );
      return;
    }
    // Only what belongs to this request goes on its stream: progress, and log messages it asked for.
    if (relatedRequestId !== this.request.id || message.method === 'notifications/cancelled') return;
    if (message.method === 'notifications/message' && !logWanted(this.envelope.logLevel, message.params?.level)) return;
    if (this.options.acceptsSse) this.event(stringifyMessage(message));
  }

  abandon(requestId: RequestId): void {
    if (requestId !== this.request.id || this.finished) return;
    // The call was cancelled: nothing more is said.
    if (!this.res.headersSent) this.res.writeHead(202);
    this.res.end();
    this.finish();
  }

  /** Ends the exchange from the server side (its client stopped reading, the endpoint closes). */
  close(): void {
    if (this.finished) return;
    this.cancel('the exchange was closed by MCP Orch');
    if (!this.res.writableEnded) this.res.destroy();
  }

  private initialized(response: RpcResponse): void {
    if ('error' in response) {
      this.answer(errorResponse(this.request.id, response.error.code, response.error.message, response.error.data));
    } else if (this.request.method === 'server/discover') {
      this.answer({ jsonrpc: '2.0', id: this.request.id, result: discoverResult(response.result) });
    } else {
      this.handler!.handle(this.request);
    }
  }

  private answer(response: RpcResponse): void {
    const id = this.request.id;
    let status = 200;
    let text: string;
    if ('error' in response) {
      status = statusOfError(response.error.code);
      text = stringifyMessage({ ...response, id });
    } else {
      text = stringifyResultWith(id, response.result, resultAdditions(this.request.method, response.result));
    }
    if (this.streaming) {
      this.event(text);
      this.res.end();
    } else if (!this.res.writableEnded) {
      const bytes = Buffer.byteLength(text);
      this.res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes });
      this.res.end(text);
      // What the client has not taken yet counts against the daemon's bounds.
      this.options.ledger.track(this.res, this, () => undefined);
      this.options.ledger.wrote(this.res, bytes);
    }
    this.finish();
  }

  private event(json: string): void {
    if (this.res.writableEnded) return;
    if (!this.streaming) {
      this.streaming = true;
      this.res.writeHead(200, SSE_HEADERS);
      this.options.ledger.track(this.res, this, () => this.close());
    }
    const text = `event: message\ndata: ${json}\n\n`;
    this.res.write(text);
    this.options.ledger.wrote(this.res, text.length);
  }

  private cancel(reason: string): void {
    this.handler?.handle({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: this.request.id, reason } });
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.handler?.close();
  }
}
