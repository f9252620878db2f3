/**
 * What MCP Orch says to a server it starts, and tells the clients after a restart. This is the
 * upstream edge where the generation a server is spoken to in is decided, once per start.
 */
import { RpcErrorCode, errorResponse, type RpcNotification, type RpcResponse } from '../protocol/jsonrpc.js';
import { LATEST_PROTOCOL_VERSION } from '../protocol/versions.js';
import { discoverModern, initializeResultOf, modernEnvelope } from './upstream-modern.js';
import type { UpstreamPeer } from './upstream-peer.js';
import type { UpstreamRouter } from './upstream-router.js';

export interface HandshakeOptions {
  /** `auto`: ask with `server/discover` first; `2025`: `initialize` only; `2026-07-28`: discover only. */
  protocol: 'auto' | '2025' | '2026-07-28';
  version: string | undefined;
  initializeParams?: Record<string, unknown> | undefined;
  timeoutMs: number;
  log(line: string): void;
}

/**
 * Opens the conversation with a started server. A server that may speak 2026-07-28 is asked first
 * (`server/discover`); one that does is spoken to in 2026-07-28 from then on and never sent
 * `initialize`, and its discover result stands for the initialize result. Otherwise `initialize`.
 * Answers the (initialize) result, or why it failed.
 */
export async function shakeHands(
  router: UpstreamRouter,
  options: HandshakeOptions,
): Promise<{ response: RpcResponse | undefined; modern: boolean }> {
  if (options.protocol !== '2025') {
    const envelope = modernEnvelope(options.version);
    const discovered = await discoverModern(router, envelope, options.timeoutMs);
    options.log(
      discovered
        ? 'speaks MCP 2026-07-28 (server/discover): spoken to in 2026-07-28'
        : 'does not speak MCP 2026-07-28 (server/discover): spoken to in 2025',
    );
    if (discovered) {
      router.speakModern(envelope);
      return { response: { jsonrpc: '2.0', id: 0, result: initializeResultOf(discovered) }, modern: true };
    }
    if (options.protocol === '2026-07-28') {
      const refused = errorResponse(0, RpcErrorCode.ConnectionClosed, 'the server does not answer server/discover with MCP 2026-07-28');
      return { response: refused, modern: false };
    }
  }
  const params = options.initializeParams ?? defaultInitializeParams(options.version);
  const response = await router.forward({ jsonrpc: '2.0', id: 0, method: 'initialize', params }, undefined, options.timeoutMs);
  return { response, modern: false };
}

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
