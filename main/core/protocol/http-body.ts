/**
 * Reads the body of an HTTP request, bounded: the one reader of the REST API (http/json-body.ts) and
 * the MCP endpoints (mcp/http-io.ts), which each word the refusal their own way. Plain listeners
 * rather than `for await`: it runs once per call on every MCP transport.
 */
import type { IncomingMessage } from 'node:http';

/** Why a body was not read: more than the limit (declared or streamed), or the client gave up mid-body. */
export type BodyRefusal = 'too_large' | 'incomplete';

const INCOMPLETE = 'the client closed the request before its body was complete';

export class BodyError extends Error {
  constructor(
    readonly reason: BodyRefusal,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'BodyError';
  }
}

/**
 * The whole body, at most `limit` bytes; empty when there is none. Rejects with `BodyError`: a
 * declared `Content-Length` over the limit before reading anything, a body that grows past it as
 * soon as it does, a request closed or broken off before its end. What is left unread is drained.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => new BodyError('too_large', `the body exceeds ${limit} bytes`);
  if (Number(req.headers['content-length']) > limit) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error?: Error) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (error) {
        req.resume();
        reject(error);
      } else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish(tooLarge());
      else chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onClose = () => finish(new BodyError('incomplete', INCOMPLETE));
    // Node reports a client that goes away mid-body as an `aborted` error, then a close.
    const onError = (error: Error) => finish(new BodyError('incomplete', INCOMPLETE, { cause: error }));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}
