/**
 * The upstream edge for servers that speak MCP 2026-07-28: how MCP Orch finds out
 * (`server/discover`, before any `initialize`), what it puts on each request it sends them (the
 * `_meta` envelope: its protocol version, its capabilities, itself), and how their answers are
 * brought to the one internal form the sessions use: `resultType`, `ttlMs` and `cacheScope` taken
 * off, the acknowledgement of its own subscription swallowed, and an `input_required` result asked
 * of the client whose call it is, as the questions a 2025 server would have sent it. Behind this
 * edge nothing asks which generation a server speaks.
 */
import { CAPABILITY_OF_QUESTION, META, MODERN_PROTOCOL_VERSION } from '../protocol/versions.js';
import { errorResponse, type RequestId, type RpcNotification, type RpcRequest, type RpcResponse } from '../protocol/jsonrpc.js';
import type { UpstreamPeer } from './upstream-peer.js';

/** The part of the router the handshake uses (its own requests, on no peer's behalf). */
interface Forwarder {
  forward(request: RpcRequest, peer: undefined, timeoutMs: number): Promise<RpcResponse | undefined>;
}

/** Rounds of questions one call may take before MCP Orch gives it up. */
export const MAX_INPUT_ROUNDS = 8;

/** Methods a 2026 server no longer has, which a 2025 client may still send: MCP Orch answers them (`{}`). */
export const ANSWERED_FOR_MODERN: ReadonlySet<string> = new Set(['ping', 'logging/setLevel']);

/** The `_meta` MCP Orch puts on every request to a 2026 server: it is the client there, with every capability it can route. */
export function modernEnvelope(version: string | undefined): Record<string, unknown> {
  return {
    [META.protocolVersion]: MODERN_PROTOCOL_VERSION,
    [META.clientCapabilities]: { sampling: {}, elicitation: { form: {}, url: {} }, roots: {} },
    [META.clientInfo]: { name: 'mcp-orch', version: version ?? '0.0.0' },
  };
}

/**
 * `request` with the envelope in its `_meta` (the request's own `_meta` keys, e.g. the progress
 * token, kept). `capabilities`: those of the client whose request it is, when known, so the server
 * asks (or refuses) as it would that client; else MCP Orch's own.
 */
export function dress(request: RpcRequest, envelope: Record<string, unknown>, capabilities?: Record<string, unknown>): RpcRequest {
  const params = request.params ?? {};
  const own = capabilities ? { ...envelope, [META.clientCapabilities]: capabilities } : envelope;
  return { ...request, params: { ...params, _meta: { ...(params._meta as Record<string, unknown> | undefined), ...own } } };
}

/** The discover request that asks a server whether it speaks 2026-07-28. */
export function discoverRequest(envelope: Record<string, unknown>): RpcRequest {
  return { jsonrpc: '2.0', id: 0, method: 'server/discover', params: { _meta: envelope } };
}

/** The longest a server is given to answer `server/discover` before it is taken for a 2025 one. */
const DISCOVER_TIMEOUT_MS = 10_000;

/**
 * Asks the server whether it speaks 2026-07-28: its discover result when it does, undefined when it
 * does not (an error, e.g. -32601 from a 2025 server, or no answer in time).
 */
export async function discoverModern(
  router: Forwarder,
  envelope: Record<string, unknown>,
  timeoutMs: number,
  boundMs = DISCOVER_TIMEOUT_MS,
): Promise<Record<string, unknown> | undefined> {
  const response = await router.forward(discoverRequest(envelope), undefined, Math.min(timeoutMs, boundMs));
  return speaksModern(response) ? response.result : undefined;
}

/**
 * What MCP Orch asks a 2026 server for in its `subscriptions/listen` (its replacement for
 * notifications on a session), so they reach the registry and the sessions as a 2025 server's
 * would: the list changes its capabilities say it announces, and updates of `resources` (the URIs
 * client sessions subscribed to, upstream-listen.ts). Undefined when there is nothing to ask for.
 */
export function listenFilter(capabilities: unknown, resources: readonly string[]): Record<string, unknown> | undefined {
  const offered = (capabilities ?? {}) as Record<string, { listChanged?: unknown } | undefined>;
  const notifications: Record<string, unknown> = {};
  if (offered.tools?.listChanged) notifications.toolsListChanged = true;
  if (offered.prompts?.listChanged) notifications.promptsListChanged = true;
  if (offered.resources?.listChanged) notifications.resourcesListChanged = true;
  if (resources.length > 0) notifications.resourceSubscriptions = [...resources];
  return Object.keys(notifications).length > 0 ? notifications : undefined;
}

/** Whether a discover answer says 2026-07-28. */
export function speaksModern(response: RpcResponse | undefined): response is RpcResponse & { result: Record<string, unknown> } {
  if (!response || !('result' in response)) return false;
  const versions = response.result.supportedVersions;
  return Array.isArray(versions) && versions.includes(MODERN_PROTOCOL_VERSION);
}

/** What the sessions know of a server as a 2025 `initialize` result, made from its discover result. */
export function initializeResultOf(discover: Record<string, unknown>): Record<string, unknown> {
  const meta = discover._meta as Record<string, unknown> | undefined;
  return {
    protocolVersion: MODERN_PROTOCOL_VERSION,
    capabilities: discover.capabilities ?? {},
    serverInfo: meta?.[META.serverInfo] ?? { name: 'unknown', version: '' },
    ...(typeof discover.instructions === 'string' ? { instructions: discover.instructions } : {}),
  };
}

/**
 * A complete result in the internal form: the 2026 fields a 2025 client has no use for taken off
 * (`resultType`, the cache hints, the server's `serverInfo` in `_meta`).
 */
export function internalResult(result: Record<string, unknown>): Record<string, unknown> {
  const meta = result._meta as Record<string, unknown> | undefined;
  const hasServerInfo = meta !== undefined && META.serverInfo in meta;
  if (result.resultType === undefined && result.ttlMs === undefined && result.cacheScope === undefined && !hasServerInfo) return result;
  const { resultType: _type, ttlMs: _ttl, cacheScope: _scope, _meta: _given, ...rest } = result;
  if (meta !== undefined) {
    const { [META.serverInfo]: _info, ...kept } = meta;
    if (Object.keys(kept).length > 0) rest._meta = kept;
  }
  return rest;
}

/**
 * A notification in the internal form, or undefined when it is the server's answer to MCP Orch's
 * own `subscriptions/listen` (the acknowledgement), which nobody else needs.
 */
export function internalNotification(notification: RpcNotification): RpcNotification | undefined {
  if (notification.method === 'notifications/subscriptions/acknowledged') return undefined;
  const meta = notification.params?._meta as Record<string, unknown> | undefined;
  if (!meta || !(META.subscriptionId in meta)) return notification;
  const { [META.subscriptionId]: _id, ...rest } = meta;
  const params = { ...notification.params };
  if (Object.keys(rest).length > 0) params._meta = rest;
  else delete params._meta;
  return { ...notification, params };
}

/**
 * Asks `peer` (the client whose call it is) each of the questions of an `input_required` result, as
 * a 2025 server would have asked them: its answers under the same keys, or the error the call ends
 * with (-32021 naming the capability the client did not declare, or the client's own refusal).
 */
export async function askForInput(
  peer: UpstreamPeer | undefined,
  inputRequests: unknown,
  callId: RequestId,
  signal: AbortSignal,
): Promise<{ answers: Record<string, unknown> } | { error: RpcResponse }> {
  const requests = typeof inputRequests === 'object' && inputRequests !== null ? Object.entries(inputRequests) : [];
  for (const [, request] of requests) {
    const method = (request as { method?: unknown }).method;
    const capability = typeof method === 'string' ? CAPABILITY_OF_QUESTION[method] : undefined;
    if (!capability || peer?.clientCapabilities?.[capability] === undefined) {
      const needs = capability ?? String(method);
      return {
        error: errorResponse(callId, -32021, `The server needs input the client cannot give: it did not declare the ${needs} capability`, {
          requiredCapabilities: { [needs]: {} },
        }),
      };
    }
  }
  const replies = await Promise.all(
    requests.map(async ([key, request]) => {
      const { method, params } = request as { method: string; params?: Record<string, unknown> };
      // The server's key rides along, so a 2026 client is asked under it again.
      const keyed = { ...params, _meta: { ...(params?._meta as Record<string, unknown> | undefined), [META.inputKey]: key } };
      const reply = await peer!.askClient({ jsonrpc: '2.0', id: 0, method, params: keyed }, callId, signal);
      return [key, reply] as const;
    }),
  );
  const answers: Record<string, unknown> = {};
  for (const [key, reply] of replies) {
    if ('error' in reply) return { error: errorResponse(callId, reply.error.code, reply.error.message, reply.error.data) };
    answers[key] = reply.result;
  }
  return { answers };
}

/**
 * The request a 2026 server gets again once its questions are answered: a new id, the answers as
 * `inputResponses`, its `requestState` echoed, and the progress token (the upstream id) renewed.
 */
export function sentAgain(sent: RpcRequest, id: number, answers: Record<string, unknown>, requestState: unknown): RpcRequest {
  const params: Record<string, unknown> = { ...sent.params, inputResponses: answers };
  if (requestState !== undefined) params.requestState = requestState;
  else delete params.requestState;
  const meta = params._meta as Record<string, unknown> | undefined;
  if (meta?.progressToken !== undefined) params._meta = { ...meta, progressToken: id };
  return { ...sent, id, params };
}
