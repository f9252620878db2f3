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
  /** How long `server/discover` may take; default 10 s (a server that asks for a sign-in needs longer: see ServerSupervisor). */
  discoverTimeoutMs?: number | undefined;
  log(line: string): void;
}

/** How a server is spoken to after the handshake: 2025 only, 2026-07-28 only, or both (see shakeHands). */
export type Generations = '2025' | '2026-07-28' | 'both';

/**
 * Opens the conversation with a started server. A server that may speak 2026-07-28 is asked first
 * (`server/discover`). One that does not is sent `initialize` and spoken to in 2025. One that does
 * is spoken to in 2026-07-28; over HTTP (`sessionOpened`) it is also sent `initialize`, and when it
 * opens a 2025 session for it, it serves both: 2026 clients' requests go to it in 2026-07-28, 2025
 * clients' in their session, each with everything it has (server requests, subscriptions). On
 * stdio the opening exchange pins one generation for the connection. Answers the (initialize) result, or
 * why it failed.
 */
export async function shakeHands(
  router: UpstreamRouter,
  options: HandshakeOptions & { sessionOpened?: () => boolean },
): Promise<{ response: RpcResponse | undefined; generations: Generations }> {
  const initialize = () =>
    router.forward(
      { jsonrpc: '2.0', id: 0, method: 'initialize', params: options.initializeParams ?? defaultInitializeParams(options.version) },
      undefined,
      options.timeoutMs,
    );
  if (options.protocol === '2025') return { response: await initialize(), generations: '2025' };
  const envelope = modernEnvelope(options.version);
  const discovered = await discoverModern(router, envelope, options.timeoutMs, options.discoverTimeoutMs);
  if (!discovered) {
    options.log('does not speak MCP 2026-07-28 (server/discover): spoken to in 2025');
    if (options.protocol === '2026-07-28') {
      const refused = errorResponse(0, RpcErrorCode.ConnectionClosed, 'the server does not answer server/discover with MCP 2026-07-28');
      return { response: refused, generations: '2025' };
    }
    return { response: await initialize(), generations: '2025' };
  }
  if (options.sessionOpened && options.protocol === 'auto') {
    const legacy = await initialize();
    // Only a 2025 session has what 2025 clients need (requests from the server, subscriptions);
    // a server that serves 2025 without one is better spoken to in 2026-07-28 for everyone.
    if (legacy && 'result' in legacy && options.sessionOpened()) {
      options.log('speaks MCP 2026-07-28 and 2025: spoken to in the generation of each client');
      router.speakModern(envelope, { besides2025: true });
      return { response: legacy, generations: 'both' };
    }
  }
  options.log('speaks MCP 2026-07-28 (server/discover): spoken to in 2026-07-28');
  router.speakModern(envelope, { besides2025: false });
  return { response: { jsonrpc: '2.0', id: 0, result: initializeResultOf(discovered) }, generations: '2026-07-28' };
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
