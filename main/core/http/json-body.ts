/**
 * Reads the JSON body of a REST request: at most `limit` bytes (413; read by protocol/http-body.ts,
 * as the MCP endpoints read theirs), a JSON media type (415), strict UTF-8 and valid JSON no deeper
 * than `MAX_DEPTH` (400). No body at all reads as undefined.
 */
import type { IncomingMessage } from 'node:http';
import type { ErrorCode } from '../../../shared/errors.js';
import { BodyError, readBody } from '../protocol/http-body.js';
import { MAX_DEPTH, nestingDepth } from '../protocol/json-depth.js';

/** A request the REST adapter refuses before there is an input; `status` when its code's own does not fit (415). */
export class RestError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RestError';
  }
}

export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (!chunked && (declared === undefined || declared === '0')) return undefined;
  if (!isJsonMediaType(req.headers['content-type'])) {
    req.resume();
    throw new RestError(
      'bad_request',
      `the body must be JSON: send Content-Type: application/json (got ${req.headers['content-type'] ?? 'none'})`,
      415,
    );
  }
  let bytes: Buffer;
  try {
    bytes = await readBody(req, limit);
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    throw new RestError(error.reason === 'too_large' ? 'payload_too_large' : 'bad_request', error.message);
  }
  if (bytes.length === 0) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new RestError('bad_request', 'the body is not valid UTF-8');
  }
  if (nestingDepth(text) > MAX_DEPTH) throw new RestError('bad_request', `the JSON body is nested deeper than ${MAX_DEPTH} levels`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new RestError('bad_request', `the body is not valid JSON: ${(error as Error).message}`);
  }
}

export function isJsonMediaType(header: string | undefined): boolean {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return type !== undefined && (type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type));
}
