/**
 * Which client sessions subscribed to which resource of one server, so `resources/updated` reaches
 * them and a restarted server (which has forgotten) is asked to renew what clients still hold. A
 * 2026-07-28 server is told the URIs held in its `subscriptions/listen` (upstream-listen.ts), which
 * follows the set through `onChange`.
 */
import type { RpcRequest } from '../protocol/jsonrpc.js';
import type { UpstreamPeer } from './upstream-peer.js';
import type { UpstreamRouter } from './upstream-router.js';

export class ResourceSubscriptions {
  private readonly byUri = new Map<string, Set<UpstreamPeer>>();
  /** Called when a URI gains its first subscriber or loses its last. */
  onChange: () => void = () => {};

  /** Notes a `resources/subscribe` or `resources/unsubscribe` a peer sends through. */
  track(request: RpcRequest, peer: UpstreamPeer | undefined): void {
    if (!peer) return;
    const uri = request.params?.uri;
    if (typeof uri !== 'string') return;
    if (request.method === 'resources/subscribe') {
      let subscribers = this.byUri.get(uri);
      if (!subscribers) this.byUri.set(uri, (subscribers = new Set()));
      subscribers.add(peer);
      if (subscribers.size === 1) this.onChange();
    } else if (request.method === 'resources/unsubscribe') {
      if (this.drop(uri, peer)) this.onChange();
    }
  }

  /** The peers subscribed to `uri`. */
  of(uri: string): Iterable<UpstreamPeer> {
    return this.byUri.get(uri) ?? [];
  }

  /** Whether some peer holds a subscription to `uri`. */
  has(uri: string): boolean {
    return this.byUri.has(uri);
  }

  /** The URIs at least one peer holds, sorted. */
  held(): string[] {
    return [...this.byUri.keys()].sort();
  }

  /** How many URIs are held. */
  get size(): number {
    return this.byUri.size;
  }

  /** A peer went away: it holds no subscription any more. */
  forget(peer: UpstreamPeer): void {
    let changed = false;
    for (const uri of [...this.byUri.keys()]) if (this.drop(uri, peer)) changed = true;
    if (changed) this.onChange();
  }

  /** Subscribes a restarted server again to every resource some client still holds. */
  renew(router: UpstreamRouter, timeoutMs: number): void {
    for (const uri of this.byUri.keys()) {
      void router.forward({ jsonrpc: '2.0', id: 0, method: 'resources/subscribe', params: { uri } }, undefined, timeoutMs);
    }
  }

  /** Takes `peer` off `uri`; true when that was its last subscriber (the URI is no longer held). */
  private drop(uri: string, peer: UpstreamPeer): boolean {
    const subscribers = this.byUri.get(uri);
    if (!subscribers?.delete(peer) || subscribers.size > 0) return false;
    this.byUri.delete(uri);
    return true;
  }
}
