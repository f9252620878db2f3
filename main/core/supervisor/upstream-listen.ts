/**
 * MCP Orch's own `subscriptions/listen` to a server spoken to in MCP 2026-07-28 only: the list
 * changes its discover result says it announces, and `resourceSubscriptions`, every URI some client
 * session holds. Such a server has no `resources/subscribe`, so a 2025 client's subscribe and
 * unsubscribe are answered here (`{}`) and change the set; when the set changes, the listen is
 * replaced: a new one with the new set is sent, then the old one is cancelled. Changes that come
 * together (within one turn of the event loop) make one new listen, sent before their answers.
 */
import { RpcErrorCode, errorResponse, type RequestId, type RpcRequest, type RpcResponse } from '../protocol/jsonrpc.js';
import type { ResourceSubscriptions } from './resource-subscriptions.js';
import { listenFilter } from './upstream-modern.js';
import type { UpstreamPeer } from './upstream-peer.js';

/** The part of the router a listen uses (its own requests, on no peer's behalf). */
export interface ListenRouter {
  forward(request: RpcRequest, peer: undefined, timeoutMs: number): Promise<RpcResponse | undefined>;
  cancel(peer: undefined, requestId: RequestId, reason?: string): void;
}

/** The most URIs one listen carries: they all go into one request. */
export const MAX_CARRIED_URIS = 1_000;

export interface ListenContext {
  /** The server's name, for messages. */
  name(): string;
  log(line: string): void;
}

export class UpstreamListen {
  private router: ListenRouter | undefined;
  private capabilities: { resources?: { subscribe?: unknown } } = {};
  /** The id (ours, not the wire's) of the listen open now, and the URIs it carries. */
  private current: string | undefined;
  private carried: string[] | undefined;
  private opened = 0;
  /** The new listen about to be sent, for the changes of this turn. */
  private scheduled: Promise<void> | undefined;

  constructor(
    private readonly subscriptions: ResourceSubscriptions,
    private readonly context: ListenContext,
  ) {
    subscriptions.onChange = () => void this.schedule();
  }

  /**
   * A run has begun: `router` when the server is spoken to in 2026-07-28 only (the listen is opened
   * at once, with the URIs the sessions still hold), undefined otherwise (nothing is answered here).
   */
  attach(router: ListenRouter | undefined, capabilities: unknown): void {
    this.router = router;
    this.capabilities = capabilities ?? {};
    this.current = undefined;
    this.carried = undefined;
    if (router) this.relisten();
  }

  /**
   * The answer to a client's `resources/subscribe` or `resources/unsubscribe` when the server is
   * spoken to in 2026-07-28 only; undefined for any other request, or another server.
   */
  answer(request: RpcRequest, peer: UpstreamPeer | undefined): Promise<RpcResponse> | undefined {
    const { method, id } = request;
    if (!this.router || (method !== 'resources/subscribe' && method !== 'resources/unsubscribe')) return undefined;
    const uri = request.params?.uri;
    const name = this.context.name();
    if (typeof uri !== 'string') return Promise.resolve(errorResponse(id, RpcErrorCode.InvalidParams, `${method}: "uri" must be a string`));
    if (this.capabilities.resources?.subscribe !== true) {
      const message = `server "${name}" does not offer resource subscriptions (it speaks MCP 2026-07-28 and its capabilities lack resources.subscribe)`;
      return Promise.resolve(errorResponse(id, RpcErrorCode.MethodNotFound, message));
    }
    if (method === 'resources/subscribe' && !this.subscriptions.has(uri) && this.subscriptions.size >= MAX_CARRIED_URIS) {
      const message = `server "${name}": MCP Orch carries at most ${MAX_CARRIED_URIS} resource subscriptions to it; unsubscribe from another resource first`;
      return Promise.resolve(errorResponse(id, RpcErrorCode.InternalError, message));
    }
    this.subscriptions.track(request, peer);
    return (this.scheduled ?? Promise.resolve()).then(() => ({ jsonrpc: '2.0', id, result: {} }));
  }

  /** The URIs the open listen carries (for tests and diagnostics); undefined when none is open. */
  get carrying(): string[] | undefined {
    return this.current === undefined ? undefined : this.carried;
  }

  private schedule(): Promise<void> {
    if (!this.router) return Promise.resolve();
    this.scheduled ??= new Promise((resolve) =>
      setImmediate(() => {
        this.scheduled = undefined;
        this.relisten();
        resolve();
      }),
    );
    return this.scheduled;
  }

  /** Opens a listen with the URIs held now, then cancels the one it replaces; nothing when the set is the same. */
  private relisten(): void {
    const router = this.router;
    if (!router) return;
    const uris = this.capabilities.resources?.subscribe === true ? this.subscriptions.held() : [];
    if (this.current !== undefined && JSON.stringify(uris) === JSON.stringify(this.carried)) return;
    const replaced = this.current;
    const notifications = listenFilter(this.capabilities, uris);
    this.current = undefined;
    this.carried = uris;
    if (notifications) {
      const id = `mcp-orch-listen-${++this.opened}`;
      this.current = id;
      void router
        .forward({ jsonrpc: '2.0', id, method: 'subscriptions/listen', params: { notifications } }, undefined, 0)
        .then((response) => this.ended(router, id, response));
    }
    if (replaced !== undefined) router.cancel(undefined, replaced, 'replaced by a listen with other resource subscriptions');
  }

  /** A listen ended otherwise than by MCP Orch's cancellation: said in the server's log. */
  private ended(router: ListenRouter, id: string, response: RpcResponse | undefined): void {
    if (response === undefined || this.router !== router) return;
    if (this.current === id) this.current = undefined;
    if ('error' in response) {
      // The run is over (crash, stop): the next one opens its own listen.
      if (response.error.code === RpcErrorCode.ConnectionClosed) return;
      this.context.log(`subscriptions/listen refused: ${response.error.message}`);
    } else {
      this.context.log('the server ended the subscriptions/listen of MCP Orch');
    }
  }
}
