/** What MCP Orch says to a server it starts, and tells the clients after a restart. */
import type { RpcNotification } from '../protocol/jsonrpc.js';
import { LATEST_PROTOCOL_VERSION } from '../protocol/versions.js';
import type { UpstreamPeer } from './upstream-peer.js';

/** `initialize` params: MCP Orch as a client with every capability it can route back to its own clients. */
export function defaultInitializeParams(version: string | undefined): Record<string, unknown> {
  return {
    protocolVersion: LATEST_PROTOCOL_VERSION,
    capabilities: { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true } },
    clientInfo: { name: 'mcp-orch', version: version ?? '0.0.0' },
  };
}

/** A restarted server may offer other tools, resources or prompts: tells the sessions that stayed. */
export function announceListsChanged(peers: Iterable<UpstreamPeer>, capabilities: unknown): void {
  const offered = (capabilities ?? {}) as Record<string, unknown>;
  for (const kind of ['tools', 'resources', 'prompts'] as const) {
    if (offered[kind] === undefined) continue;
    const notification: RpcNotification = { jsonrpc: '2.0', method: `notifications/${kind}/list_changed` };
    // Only sessions that completed initialize: the others have nothing to refresh.
    for (const peer of peers) if (peer.clientCapabilities !== undefined) peer.deliverNotification(notification);
  }
}
