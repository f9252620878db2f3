/**
 * JSON-RPC 2.0 message shapes as the proxy handles them: plain parsed objects, checked only as far
 * as routing needs. Results are never validated into narrower types, so everything a server sends
 * (structured content, `_meta`, fields of newer protocol revisions) passes through untouched.
 */
export type RequestId = string | number;

export interface RpcRequest {
  jsonrpc: '2.0';
  id: RequestId;
  method: string;
  params?: Record<string, unknown>;
}

export interface RpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: Record<string, unknown>;
}

export interface RpcResult {
  jsonrpc: '2.0';
  id: RequestId;
  result: Record<string, unknown>;
}

export interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export interface RpcErrorResponse {
  jsonrpc: '2.0';
  id: RequestId | null;
  error: RpcErrorObject;
}

export type RpcResponse = RpcResult | RpcErrorResponse;
export type RpcMessage = RpcRequest | RpcNotification | RpcResponse;

/** JSON-RPC and MCP error codes used by the proxy. */
export const RpcErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** MCP: connection closed / server unavailable. */
  ConnectionClosed: -32000,
  /** MCP: request timed out. */
  RequestTimeout: -32001,
} as const;

export function isRequest(message: RpcMessage): message is RpcRequest {
  return 'method' in message && 'id' in message && message.id !== undefined && message.id !== null;
}

export function isNotification(message: RpcMessage): message is RpcNotification {
  return 'method' in message && !('id' in message && message.id !== undefined && message.id !== null);
}

export function isResponse(message: RpcMessage): message is RpcResponse {
  return !('method' in message) && ('result' in message || 'error' in message);
}

export function errorResponse(id: RequestId | null, code: number, message: string, data?: unknown): RpcErrorResponse {
  return { jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } };
}

function isId(value: unknown): value is RequestId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * Checks that `value` is a JSON-RPC 2.0 message. Returns the reason when it is not; cheap enough
 * for every message on the hot path (no schema library, no copy).
 */
export function checkMessage(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'a JSON-RPC message must be an object';
  const message = value as Record<string, unknown>;
  if (message.jsonrpc !== '2.0') return 'jsonrpc must be "2.0"';
  if ('method' in message) {
    if (typeof message.method !== 'string' || message.method === '') return 'method must be a non-empty string';
    if ('id' in message && !isId(message.id)) return 'id must be a string or a number';
    if ('params' in message && (message.params === null || typeof message.params !== 'object')) {
      return 'params must be an object';
    }
    return undefined;
  }
  if ('result' in message || 'error' in message) {
    if (!isId(message.id) && message.id !== null) return 'a response needs an id';
    return undefined;
  }
  return 'not a request, notification or response';
}

/**
 * Results whose JSON is kept ready (the aggregate's tool list: megabytes for thousands of tools,
 * the same for every caller until a catalog changes). Keyed by the result object itself.
 */
const serializedResults = new WeakMap<object, string>();

/** Marks `result` as immutable and keeps its JSON, so `stringifyMessage` need not serialise it again. */
export function preserialize<T extends Record<string, unknown>>(result: T): T {
  if (!serializedResults.has(result)) serializedResults.set(result, JSON.stringify(result));
  return result;
}

/** `JSON.stringify` of a message, reusing the ready JSON of a preserialised result. */
export function stringifyMessage(message: RpcMessage | RpcMessage[]): string {
  if (Array.isArray(message)) return `[${message.map(stringifyMessage).join(',')}]`;
  const result = isResponse(message) && 'result' in message ? serializedResults.get(message.result) : undefined;
  if (result === undefined) return JSON.stringify(message);
  return `{"jsonrpc":"2.0","id":${JSON.stringify((message as RpcResult).id)},"result":${result}}`;
}

/**
 * The JSON of a result response with `leading` fields put first in its result, without parsing or
 * copying the result: its ready JSON (or one `JSON.stringify`) is spliced. `leading` must hold
 * only keys the result lacks.
 */
export function stringifyResultWith(id: RequestId, result: Record<string, unknown>, leading: Record<string, unknown>): string {
  const body = serializedResults.get(result) ?? JSON.stringify(result);
  const head = JSON.stringify(leading).slice(1, -1);
  const rest = head === '' ? body : body === '{}' ? `{${head}}` : `{${head},${body.slice(1)}`;
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${rest}}`;
}
