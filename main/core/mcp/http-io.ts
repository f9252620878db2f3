/** Small helpers for raw Node HTTP on the MCP endpoints (hot path: no framework work per call). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyError, readBody as readRequestBody } from '../protocol/http-body.js';
import { MAX_DEPTH, nestingDepth } from '../protocol/json-depth.js';
import { RpcErrorCode, checkMessage, errorResponse, type RpcMessage } from '../protocol/jsonrpc.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly rpcCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** Reads the whole body as UTF-8: more than `limit` bytes is 413, a body cut short 400 (JSON-RPC Invalid Request). */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  try {
    return (await readRequestBody(req, limit)).toString('utf8');
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    if (error.reason === 'too_large') throw new HttpError(413, RpcErrorCode.InvalidRequest, `Payload Too Large: ${error.message}`);
    throw new HttpError(400, RpcErrorCode.InvalidRequest, `Bad Request: ${error.message}`);
  }
}

/** Parses a POST body into JSON-RPC messages; throws HttpError 400 naming what is wrong. */
export function parseMessages(body: string): { messages: RpcMessage[]; batch: boolean } {
  if (nestingDepth(body) > MAX_DEPTH) {
    throw new HttpError(400, RpcErrorCode.InvalidRequest, `Invalid Request: the message is nested deeper than ${MAX_DEPTH} levels`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new HttpError(400, RpcErrorCode.ParseError, 'Parse error: Invalid JSON');
  }
  const batch = Array.isArray(parsed);
  const items: unknown[] = batch ? (parsed as unknown[]) : [parsed];
  if (items.length === 0) throw new HttpError(400, RpcErrorCode.InvalidRequest, 'Invalid Request: empty batch');
  if (items.length > 1000) throw new HttpError(400, RpcErrorCode.InvalidRequest, 'Invalid Request: a batch may hold at most 1000 messages');
  for (const item of items) {
    const problem = checkMessage(item);
    if (problem) throw new HttpError(400, RpcErrorCode.InvalidRequest, `Invalid Request: ${problem}`);
  }
  return { messages: items as RpcMessage[], batch };
}

/** Whether a media type list (Accept) includes `type`, honouring wildcards. */
export function accepts(header: string | undefined, type: string): boolean {
  if (!header) return false;
  const [major] = type.split('/');
  return header.split(',').some((part) => {
    const media = part.split(';')[0]!.trim().toLowerCase();
    return media === type || media === '*/*' || media === `${major}/*`;
  });
}

export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/** Writes `body` as a JSON HTTP response (the same content type Koa gives an object body). */
export function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Writes a JSON-RPC error as a JSON HTTP response. */
export function writeRpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify(errorResponse(null, code, message));
  // The rest of a body too large to read is not drained: the connection closes after the answer.
  const close = status === 413 ? { connection: 'close' } : {};
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...close, ...headers });
  res.end(body);
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;
