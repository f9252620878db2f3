/**
 * The 2026-07-28 wire at the client edge: which revision a POST speaks, whether a 2026 request is
 * well formed (its `_meta` envelope and the `MCP-Protocol-Version`, `Mcp-Method` and `Mcp-Name`
 * headers), and how results are dressed for a 2026 client (`resultType`, cache hints, the discover
 * result). Pure functions: the HTTP exchange is modern-exchange.ts. docs/protocol-2026-07-28.md
 * says where each rule comes from.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isRequest, type RpcMessage, type RpcRequest } from '../protocol/jsonrpc.js';
import { LATEST_PROTOCOL_VERSION, META, MODERN_PROTOCOL_VERSIONS } from '../protocol/versions.js';

export { META, MODERN_PROTOCOL_VERSIONS };

/** JSON-RPC errors of 2026-07-28, each with the HTTP status it goes with. */
export const ModernError = {
  HeaderMismatch: -32020,
  MissingRequiredClientCapability: -32021,
  UnsupportedProtocolVersion: -32022,
  InvalidParams: -32602,
  MethodNotFound: -32601,
} as const;

/** Methods 2026-07-28 removed: answered 404 with -32601, never passed on. */
const REMOVED_METHODS = new Set(['initialize', 'ping', 'logging/setLevel', 'resources/subscribe', 'resources/unsubscribe']);

/** Results a 2026 client may cache: they carry `ttlMs` and `cacheScope`. */
const CACHEABLE_METHODS = new Set([
  'server/discover',
  'tools/list',
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
]);

/** What the `_meta` envelope of a 2026 request says of its client, for this request only. */
export interface RequestEnvelope {
  protocolVersion: string;
  capabilities: Record<string, unknown>;
  clientInfo?: Record<string, unknown>;
  /** Log messages at this level and above go on the request's stream; none without it. */
  logLevel?: string;
}

/** A refusal: the HTTP status and the JSON-RPC error, answered to the request's own id. */
export interface WireRefusal {
  status: number;
  code: number;
  message: string;
  data?: unknown;
}

export type Classified =
  | { era: 'legacy' }
  | { era: 'modern'; message: RpcMessage }
  /** A 2026 request that cannot be served: `id` is the request's, when it had one. */
  | { era: 'refused'; id: RpcRequest['id'] | null; refusal: WireRefusal };

const metaOf = (message: unknown): Record<string, unknown> | undefined => {
  const params = (message as { params?: unknown }).params;
  if (typeof params !== 'object' || params === null) return undefined;
  const meta = (params as { _meta?: unknown })._meta;
  return typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? (meta as Record<string, unknown>) : undefined;
};

const headerOf = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return typeof value === 'string' ? value : Array.isArray(value) ? value[0] : undefined;
};

/**
 * Which revision a POST's messages speak. The body decides: a message whose `_meta` names a
 * protocol version is a 2026 request; `initialize`, and anything without that claim, is 2025
 * traffic for the session transport. A 2025 body under a header that names a 2026 revision is
 * refused, as is a batch (2026 has none) that holds a 2026 message.
 */
export function classify(messages: readonly RpcMessage[], batch: boolean, headers: IncomingHttpHeaders): Classified {
  const claims = messages.filter((message) => metaOf(message)?.[META.protocolVersion] !== undefined);
  const idOf = (message: RpcMessage | undefined) => (message && isRequest(message) ? message.id : null);
  if (claims.length > 0 && batch) {
    return { era: 'refused', id: null, refusal: refusal(400, -32600, 'Invalid Request: a 2026-07-28 request cannot be sent in a batch') };
  }
  if (claims.length === 1) return { era: 'modern', message: claims[0]! };
  const header = headerOf(headers, 'mcp-protocol-version')?.trim();
  if (header && MODERN_PROTOCOL_VERSIONS.includes(header) && !batch) {
    return {
      era: 'refused',
      id: idOf(messages[0]),
      refusal: refusal(400, ModernError.InvalidParams, `Invalid params: a ${header} request carries _meta["${META.protocolVersion}"]`),
    };
  }
  return { era: 'legacy' };
}

/** Checks a 2026 message against its headers: its envelope, or why it is refused (in the spec's order). */
export function checkModern(message: RpcMessage, headers: IncomingHttpHeaders): { ok: true; envelope: RequestEnvelope } | WireRefusal {
  const meta = metaOf(message) ?? {};
  const version = meta[META.protocolVersion];
  const capabilities = meta[META.clientCapabilities];
  if (typeof version !== 'string' || typeof capabilities !== 'object' || capabilities === null || Array.isArray(capabilities)) {
    return refusal(
      400,
      ModernError.InvalidParams,
      `Invalid params: _meta needs "${META.protocolVersion}" (a string) and "${META.clientCapabilities}" (an object)`,
    );
  }
  const header = headerOf(headers, 'mcp-protocol-version');
  if (header === undefined) return refusal(400, ModernError.HeaderMismatch, 'Header mismatch: the MCP-Protocol-Version header is required');
  if (decodeHeader(header) !== version) {
    return refusal(
      400,
      ModernError.HeaderMismatch,
      `Header mismatch: MCP-Protocol-Version header value '${header.trim()}' does not match body value '${version}'`,
    );
  }
  if (!MODERN_PROTOCOL_VERSIONS.includes(version)) {
    return refusal(400, ModernError.UnsupportedProtocolVersion, `Unsupported protocol version: ${version}`, {
      supported: [...MODERN_PROTOCOL_VERSIONS],
      requested: version,
    });
  }
  if (isRequest(message)) {
    const mismatch = headerMismatch(message, headers);
    if (mismatch) return mismatch;
  }
  const clientInfo = meta[META.clientInfo];
  const logLevel = meta[META.logLevel];
  return {
    ok: true,
    envelope: {
      protocolVersion: version,
      capabilities: capabilities as Record<string, unknown>,
      ...(typeof clientInfo === 'object' && clientInfo !== null ? { clientInfo: clientInfo as Record<string, unknown> } : {}),
      ...(typeof logLevel === 'string' ? { logLevel } : {}),
    },
  };
}

/** A removed method (404, -32601), or undefined when the method may be served. */
export function removedMethod(method: string): WireRefusal | undefined {
  if (!REMOVED_METHODS.has(method)) return undefined;
  return refusal(404, ModernError.MethodNotFound, `Method not found: ${method} is not part of MCP 2026-07-28`);
}

/** `Mcp-Method` on every request, `Mcp-Name` on the calls that name what they act on. */
function headerMismatch(request: RpcRequest, headers: IncomingHttpHeaders): WireRefusal | undefined {
  const method = headerOf(headers, 'mcp-method');
  if (method === undefined) return refusal(400, ModernError.HeaderMismatch, 'Header mismatch: the Mcp-Method header is required');
  if (decodeHeader(method) !== request.method) {
    return refusal(
      400,
      ModernError.HeaderMismatch,
      `Header mismatch: Mcp-Method header value '${method.trim()}' does not match body value '${request.method}'`,
    );
  }
  const named = nameOf(request);
  if (named === undefined) return undefined;
  const name = headerOf(headers, 'mcp-name');
  if (name === undefined) return refusal(400, ModernError.HeaderMismatch, `Header mismatch: ${request.method} needs the Mcp-Name header`);
  if (decodeHeader(name) !== named) {
    return refusal(
      400,
      ModernError.HeaderMismatch,
      `Header mismatch: Mcp-Name header value '${name.trim()}' does not match body value '${named}'`,
    );
  }
  return undefined;
}

/** The value `Mcp-Name` must carry for `request`, or undefined when it needs none. */
function nameOf(request: RpcRequest): string | undefined {
  const params = request.params ?? {};
  if (request.method === 'tools/call' || request.method === 'prompts/get') return typeof params.name === 'string' ? params.name : '';
  if (request.method === 'resources/read') return typeof params.uri === 'string' ? params.uri : '';
  return undefined;
}

/**
 * The `initialize` a session made for one 2026 request (or listener) is given: what the request's
 * envelope says of the client, in the internal (2025) form the sessions take.
 */
export function initializeFor(id: string, envelope: RequestEnvelope): RpcRequest {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: {
      protocolVersion: LATEST_PROTOCOL_VERSION,
      capabilities: envelope.capabilities,
      clientInfo: envelope.clientInfo ?? { name: '(a 2026-07-28 client)', version: '' },
    },
  };
}

/** What a call acts on: the tool or prompt of `tools/call` and `prompts/get`, the URI of `resources/read`. */
export function targetOf(request: RpcRequest): unknown {
  const params = request.params ?? {};
  if (request.method === 'resources/read') return params.uri;
  if (request.method === 'tools/call' || request.method === 'prompts/get') return params.name;
  return undefined;
}

/** A header value as compared with the body: trimmed, and a `=?base64?…?=` value decoded. */
export function decodeHeader(value: string): string {
  const trimmed = value.trim();
  const match = /^=\?base64\?([A-Za-z0-9+/=]*)\?=$/.exec(trimmed);
  return match ? Buffer.from(match[1]!, 'base64').toString('utf8') : trimmed;
}

/**
 * What a result needs to be one a 2026 client takes: `resultType` (`complete` unless the result
 * says otherwise) and, on a cacheable answer, `ttlMs` and `cacheScope`; only what it lacks. The
 * lists vary by key (tool patterns, disabled tools), never by connection: they are `private`, and
 * stale at once (`ttlMs` 0) because a change is not announced to a cache.
 */
export function resultAdditions(method: string, result: Record<string, unknown>): Record<string, unknown> {
  const added: Record<string, unknown> = {};
  if (result.resultType === undefined) added.resultType = 'complete';
  if (CACHEABLE_METHODS.has(method) && (result.resultType ?? 'complete') === 'complete') {
    if (result.ttlMs === undefined) added.ttlMs = 0;
    if (result.cacheScope === undefined) added.cacheScope = 'private';
  }
  return added;
}

/**
 * `server/discover`'s result, made from what the session answers a 2025 `initialize`: the same
 * capabilities (list changes and resource subscriptions reach 2026 clients through
 * `subscriptions/listen`), less tasks, an extension this edge does not carry.
 */
export function discoverResult(initialize: Record<string, unknown>): Record<string, unknown> {
  const capabilities: Record<string, unknown> = {};
  const given = (initialize.capabilities ?? {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(given)) {
    if (name === 'tasks' || name === 'experimental' || name === 'extensions') continue;
    if (typeof value === 'object' && value !== null) capabilities[name] = value;
  }
  return {
    supportedVersions: [...MODERN_PROTOCOL_VERSIONS],
    capabilities,
    ...(typeof initialize.instructions === 'string' ? { instructions: initialize.instructions } : {}),
    _meta: { [META.serverInfo]: initialize.serverInfo ?? { name: 'mcp-orch', version: '0' } },
  };
}

/** The HTTP status a JSON-RPC error goes back with to a 2026 client. */
export function statusOfError(code: number): number {
  if (code === ModernError.MethodNotFound) return 404;
  if (code === ModernError.HeaderMismatch || code === ModernError.MissingRequiredClientCapability) return 400;
  if (code === ModernError.UnsupportedProtocolVersion) return 400;
  return 200;
}

const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

/** Whether a log message at `level` goes to a request that asked for `wanted` and above. */
export function logWanted(wanted: string | undefined, level: unknown): boolean {
  if (wanted === undefined) return false;
  const floor = LOG_LEVELS.indexOf(wanted);
  const at = typeof level === 'string' ? LOG_LEVELS.indexOf(level) : -1;
  return floor !== -1 && at >= floor;
}

function refusal(status: number, code: number, message: string, data?: unknown): WireRefusal {
  return data === undefined ? { status, code, message } : { status, code, message, data };
}
