/**
 * Big answers forwarded as the server wrote them. A result response read from a server's stdout
 * above `RAW_RESPONSE_MIN_BYTES` is not parsed: its outline gives its id and the top-level fields
 * of its result (json-scan.ts), and the result's bytes are carried to the client with only the id
 * (and, for a 2026 client, `resultType`) written anew around them.
 *
 * The response is an ordinary `RpcResult` to everyone else: reading `result` parses it then (once),
 * and from that moment, or once `result` is replaced, the response is a plain object again and is
 * serialised as any other. So code that reads or edits a result (the aggregate, batch, the planner,
 * `tools/list` filtering, a 2026 server's translation) works unchanged; only paths that leave the
 * result alone and serialise with `serializeMessage` / `serializeResultWith` skip the work.
 */
import { ChunkedBytes, outlineObject, skipSpace } from './json-scan.js';
import { stringifyMessage, type RequestId, type RpcMessage, type RpcResult } from './jsonrpc.js';

/** Answers at least this long (bytes of the line) take the raw path; smaller ones are parsed as usual. */
export const RAW_RESPONSE_MIN_BYTES = 256 * 1024;
/** Top-level result fields longer than this are not decoded for `fields` (a `content` array, say). */
const FIELD_MAX_BYTES = 1024;

/** A result kept as the server's bytes. */
export interface RawResult {
  /** The result's JSON, `{` to `}`, as the server wrote it: pieces of the chunks it was read in. */
  readonly json: readonly Buffer[];
  /** Its length in bytes. */
  readonly bytes: number;
  /**
   * The result's top-level fields whose values are short scalars (`isError`, `resultType`, …),
   * decoded; other fields are present with `OMITTED` as their value.
   */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** The value `RawResult.fields` gives a field it did not decode (an object, an array, a long string). */
export const OMITTED: unknown = Object.freeze({ omitted: true });

const raws = new WeakMap<object, RawResult>();

/**
 * Reads one line of a server's stdout as a raw result response, when it is exactly
 * `{"jsonrpc":"2.0","id":…,"result":{…}}` (any order, any whitespace). `undefined` for anything
 * else (an error, a request, a notification, other members, text it cannot outline): parse it.
 */
export function readRawResponse(chunks: Buffer | readonly Buffer[]): RpcResult | undefined {
  const line = new ChunkedBytes(Buffer.isBuffer(chunks) ? [chunks] : chunks);
  const outline = outlineObject(line, 0, (key) => key === 'result');
  if (!outline || outline.members.size !== 3 || skipSpace(line, outline.end) !== line.length) return undefined;
  const { jsonrpc, id, result } = Object.fromEntries(outline.members);
  if (!jsonrpc || !id || !result?.members) return undefined;
  let parsedId: unknown;
  try {
    if (JSON.parse(line.text(jsonrpc.start, jsonrpc.end)) !== '2.0') return undefined;
    parsedId = JSON.parse(line.text(id.start, id.end));
  } catch {
    return undefined;
  }
  if (typeof parsedId !== 'string' && !(typeof parsedId === 'number' && Number.isFinite(parsedId))) return undefined;
  const fields: Record<string, unknown> = {};
  for (const member of result.members.values()) {
    const first = line.at(member.start);
    const scalar = first !== 0x7b && first !== 0x5b && member.end - member.start <= FIELD_MAX_BYTES;
    try {
      fields[member.key] = scalar ? JSON.parse(line.text(member.start, member.end)) : OMITTED;
    } catch {
      return undefined;
    }
  }
  return rawResponse(parsedId, { json: line.pieces(result.start, result.end), bytes: result.end - result.start, fields });
}

/** A result response whose result stays `raw` until someone reads or replaces it. */
export function rawResponse(id: RequestId, raw: RawResult): RpcResult {
  const response = { jsonrpc: '2.0', id } as RpcResult;
  const settle = (value: Record<string, unknown>): void => {
    raws.delete(response);
    Object.defineProperty(response, 'result', { value, writable: true, enumerable: true, configurable: true });
  };
  Object.defineProperty(response, 'result', {
    enumerable: true,
    configurable: true,
    get: () => {
      const value = parseResult(raw.json);
      settle(value);
      return value;
    },
    set: settle,
  });
  raws.set(response, raw);
  return response;
}

/**
 * The result of `json`, parsed. The outline checked its structure, not every token inside: a
 * result that still does not parse becomes a tool error saying so, rather than an exception thrown
 * at whoever reads it.
 */
function parseResult(json: readonly Buffer[]): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.concat(json).toString('utf8')) as Record<string, unknown>;
  } catch (error) {
    const text = `the server's answer is not valid JSON: ${(error as Error).message}`;
    return { content: [{ type: 'text', text }], isError: true };
  }
}

/** The raw result of `message`, while nobody has read or replaced it. */
export function rawResultOf(message: RpcMessage): RawResult | undefined {
  return raws.get(message);
}

/** The top-level fields of a response's result, without parsing a raw one (only its short scalars are there). */
export function resultFields(response: RpcResult): Readonly<Record<string, unknown>> {
  return raws.get(response)?.fields ?? response.result;
}

/**
 * What goes on the wire: JSON text, or pieces of text and bytes written one after another (a raw
 * result between the text around it), never copied into one buffer. `length` is characters of
 * text plus bytes, as the MCP bounds count (limits.ts).
 */
export type Wire = string | WirePieces;

export interface WirePieces {
  readonly pieces: readonly (string | Buffer)[];
  readonly length: number;
}

function pieces(parts: readonly Wire[]): WirePieces {
  const all = parts.flatMap((part) => (typeof part === 'string' ? [part] : part.pieces));
  return { pieces: all, length: all.reduce((sum, piece) => sum + piece.length, 0) };
}

/** `prefix + body + suffix`, as text when `body` is text. */
export function wireConcat(prefix: string, body: Wire, suffix: string): Wire {
  if (typeof body === 'string') return prefix + body + suffix;
  return pieces([prefix, body, suffix]);
}

/** Bytes of `wire` in UTF-8 (a Content-Length). */
export function wireByteLength(wire: Wire): number {
  if (typeof wire === 'string') return Buffer.byteLength(wire);
  return wire.pieces.reduce((sum, piece) => sum + (typeof piece === 'string' ? Buffer.byteLength(piece) : piece.length), 0);
}

/** Writes `wire` to `out` (an HTTP response), piece by piece. */
export function writeWire(out: { write(chunk: string | Buffer): unknown }, wire: Wire): void {
  if (typeof wire === 'string') out.write(wire);
  else for (const piece of wire.pieces) out.write(piece);
}

/** A message's JSON for the wire: a raw result goes out as the server's bytes, under the message's id. */
export function serializeMessage(message: RpcMessage | readonly RpcMessage[]): Wire {
  if (Array.isArray(message)) {
    const parts = (message as readonly RpcMessage[]).map((one) => serializeMessage(one));
    if (parts.every((part) => typeof part === 'string')) return `[${parts.join(',')}]`;
    return pieces(['[', ...parts.flatMap((part, index) => (index === 0 ? [part] : [',', part])), ']']);
  }
  const single = message as RpcMessage;
  const raw = rawResultOf(single);
  if (!raw) return stringifyMessage(single);
  return pieces([
    `{"jsonrpc":"2.0","id":${JSON.stringify((single as RpcResult).id)},"result":`,
    { pieces: raw.json, length: raw.bytes },
    '}',
  ]);
}

/**
 * The response `{ id, result }` with `leading` fields put first in a raw result, its bytes left as
 * they are; `undefined` when `response` holds no raw result. `leading` must hold only keys the
 * result lacks.
 */
export function serializeRawResultWith(id: RequestId, response: RpcResult, leading: Record<string, unknown>): Wire | undefined {
  const raw = rawResultOf(response);
  if (!raw) return undefined;
  const head = JSON.stringify(leading).slice(1, -1);
  const separator = head !== '' && Object.keys(raw.fields).length > 0 ? ',' : '';
  const open = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{${head}${separator}`;
  // The result's own `{` is replaced by the one above; the rest of its bytes follow as they are.
  const [first, ...rest] = raw.json;
  return pieces([open, { pieces: [first!.subarray(1), ...rest], length: raw.bytes - 1 }, '}']);
}
