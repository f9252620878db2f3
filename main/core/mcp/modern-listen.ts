/**
 * `subscriptions/listen` for MCP 2026-07-28 clients: the long-lived SSE answer that replaces the
 * 2025 GET stream and resource subscriptions. The listener gets a session of its own, the same
 * proxy or aggregate session a 2025 client gets, and hears what that session would tell a 2025
 * client outside any call: list changes, and updates of the resources it subscribed to (which the
 * session subscribes to upstream, as a 2025 client's `resources/subscribe` would). Only the kinds
 * the listener asked for are sent, each tagged with its subscription id; the first frame says
 * which kinds are honoured. The client ends the subscription by closing the stream.
 */
import type { ServerResponse } from 'node:http';
import { isRequest, isResponse, stringifyMessage, type RequestId, type RpcMessage, type RpcRequest } from '../protocol/jsonrpc.js';
import type { DownstreamChannel, SessionFactory, SessionHandler } from './downstream.js';
import { SSE_HEADERS } from './http-io.js';
import { META } from '../protocol/versions.js';
import { initializeFor, type RequestEnvelope } from './modern-wire.js';
import type { SendLedger, SendSession } from './send-ledger.js';

const INITIALIZE_ID = '\u0000mcp-orch-listen-initialize';
/** A comment line now and then keeps proxies and idle timers from closing a quiet stream. */
const KEEP_ALIVE_MS = 25_000;
/** Resources one listener may follow. */
const MAX_RESOURCE_SUBSCRIPTIONS = 1_000;

/** The list-change kinds a listener may ask for, and the notification each is. */
const LIST_KINDS: Record<string, string> = {
  toolsListChanged: 'notifications/tools/list_changed',
  promptsListChanged: 'notifications/prompts/list_changed',
  resourcesListChanged: 'notifications/resources/list_changed',
};

export class ListenStream implements DownstreamChannel, SendSession {
  readonly transport = 'Streamable HTTP (2026-07-28) subscriptions/listen';
  readonly sessionId: string;
  private handler: SessionHandler | undefined;
  private readonly methods = new Set<string>();
  private readonly resources = new Set<string>();
  private keepAlive: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    readonly owner: string,
    private readonly request: RpcRequest,
    private readonly envelope: RequestEnvelope,
    private readonly res: ServerResponse,
    private readonly options: { ledger: SendLedger; onClose(stream: ListenStream): void },
  ) {
    this.sessionId = `listen-${String(request.id)}-${Math.random().toString(36).slice(2, 10)}`;
  }

  /** Makes the listener's session with `factory`, answers the acknowledgement and starts listening. */
  start(factory: SessionFactory): void {
    const wanted = (this.request.params?.notifications ?? {}) as Record<string, unknown>;
    const honoured: Record<string, unknown> = {};
    for (const [kind, method] of Object.entries(LIST_KINDS)) {
      if (wanted[kind] !== true) continue;
      this.methods.add(method);
      honoured[kind] = true;
    }
    const uris = Array.isArray(wanted.resourceSubscriptions) ? wanted.resourceSubscriptions : [];
    for (const uri of uris.slice(0, MAX_RESOURCE_SUBSCRIPTIONS)) if (typeof uri === 'string') this.resources.add(uri);
    if (this.resources.size > 0) honoured.resourceSubscriptions = [...this.resources];

    this.res.writeHead(200, SSE_HEADERS);
    this.options.ledger.track(this.res, this, () => this.close());
    this.res.on('close', () => this.close());
    this.frame({
      jsonrpc: '2.0',
      method: 'notifications/subscriptions/acknowledged',
      params: { notifications: honoured, _meta: { [META.subscriptionId]: this.request.id } },
    });
    this.keepAlive = setInterval(() => this.write(': keepalive\n\n'), KEEP_ALIVE_MS);
    this.keepAlive.unref();

    this.handler = factory(this);
    this.handler.handle(initializeFor(INITIALIZE_ID, this.envelope));
    let n = 0;
    for (const uri of this.resources) {
      this.handler.handle({ jsonrpc: '2.0', id: `\u0000mcp-orch-subscribe-${++n}`, method: 'resources/subscribe', params: { uri } });
    }
  }

  send(message: RpcMessage): void {
    if (this.closed || isResponse(message)) return; // the answers to its own initialize and subscribes
    if (isRequest(message)) return; // a listener is asked nothing: it has no call a question could belong to
    const uri = message.params?.uri;
    const wanted =
      this.methods.has(message.method) ||
      (message.method === 'notifications/resources/updated' && typeof uri === 'string' && this.resources.has(uri));
    if (!wanted) return;
    this.frame({
      ...message,
      params: { ...message.params, _meta: { ...(message.params?._meta as object), [META.subscriptionId]: this.request.id } },
    });
  }

  abandon(_requestId: RequestId): void {}

  /** Ends the subscription: the listen request's result is its last frame (when the stream is still there). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepAlive);
    if (!this.res.writableEnded && !this.res.destroyed) {
      this.frame(
        { jsonrpc: '2.0', id: this.request.id, result: { resultType: 'complete', _meta: { [META.subscriptionId]: this.request.id } } },
        true,
      );
      this.res.end();
    }
    this.handler?.close();
    this.options.onClose(this);
  }

  private frame(message: RpcMessage, last = false): void {
    if (this.closed && !last) return;
    this.write(`event: message\ndata: ${stringifyMessage(message)}\n\n`);
  }

  private write(text: string): void {
    if (this.res.writableEnded || this.res.destroyed) return;
    this.res.write(text);
    this.options.ledger.wrote(this.res, text.length);
  }
}
