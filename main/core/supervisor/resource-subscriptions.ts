/**
 * Which client sessions subscribed to which resource of one server, so `resources/updated` reaches
 * them and a restarted server (which has forgotten) is asked to renew what clients still hold.
 */
import type { RpcRequest } from '../protocol/jsonrpc.js';
import type { UpstreamPeer } from './upstream-peer.js';
import type { UpstreamRouter } from './upstream-router.js';

export class ResourceSubscriptions {
  private readonly byUri = new Map<string, Set<UpstreamPeer>>();

  /** Notes a `resources/subscribe` or `resources/unsubscribe` a peer sends through. */
  track(request: RpcRequest, peer: UpstreamPeer | undefined): void {
    if (!peer) return;
    const uri = request.params?.uri;
    if (typeof uri !== 'string') return;
    if (request.method === 'resources/subscribe') {
      let subscribers = this.byUri.get(uri);
      if (!subscribers) this.byUri.set(uri, (subscribers = new Set()));
      subscribers.add(peer);
    } else if (request.method === 'resources/unsubscribe') {
      this.byUri.get(uri)?.delete(peer);
    }
  }

  /** The peers subscribed to `uri`. */
  of(uri: string): Iterable<UpstreamPeer> {
    return this.byUri.get(uri) ?? [];
  }

  /** A peer went away: it holds no subscription any more. */
  forget(peer: UpstreamPeer): void {
    for (const subscribers of this.byUri.values()) subscribers.delete(peer);
  }

  /** Subscribes a restarted server again to every resource some client still holds. */
  renew(router: UpstreamRouter, timeoutMs: number): void {
    for (const [uri, subscribers] of this.byUri) {
      if (subscribers.size === 0) continue;
      void router.forward({ jsonrpc: '2.0', id: 0, method: 'resources/subscribe', params: { uri } }, undefined, timeoutMs);
    }
  }
}
