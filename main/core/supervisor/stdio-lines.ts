/** The framing of a stdio MCP server's stdout: newline-delimited JSON-RPC, with stray non-JSON lines told apart. */
import type { RpcMessage } from '../protocol/jsonrpc.js';
import { RAW_RESPONSE_MIN_BYTES, readRawResponse } from '../protocol/raw-response.js';

/** Longest stdout line (one JSON-RPC message), in bytes, we buffer before giving up on it. */
export const MAX_MESSAGE_LENGTH = 64 * 1024 * 1024;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Splits a byte stream into lines without rescanning: each chunk is searched once for '\n'. A line
 * is handed on as the pieces of the chunks it came in, never joined here (a 10 MB answer may be
 * forwarded without being joined or decoded: raw-response.ts); '\n' never occurs inside a UTF-8
 * sequence, so a character split across chunks is whole again once its line's pieces are. Strips a trailing '\r'
 * and skips empty lines. A line longer than `maxLineLength` bytes is dropped (reported once through
 * `onOverflow`).
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private pendingLength = 0;
  private discarding = false;

  constructor(
    private readonly onLine: (pieces: readonly Buffer[], length: number) => void,
    private readonly onOverflow: () => void,
    private readonly maxLineLength: number,
  ) {}

  /** Feeds the next piece of the stream. */
  push(chunk: Buffer): void {
    let start = 0;
    let newline = chunk.indexOf(NEWLINE);
    while (newline !== -1) {
      this.completeLine(chunk, start, newline);
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) this.keep(start === 0 ? chunk : chunk.subarray(start));
  }

  /** Ends the stream: an unterminated last line is emitted as a line. */
  end(): void {
    if (!this.discarding && this.pendingLength > 0) this.emit(this.takePending(Buffer.alloc(0)), this.pendingLength);
    this.reset();
  }

  private completeLine(chunk: Buffer, start: number, end: number): void {
    if (this.discarding) {
      this.reset();
      return;
    }
    if (this.pendingLength + end - start > this.maxLineLength) {
      this.onOverflow();
      this.reset();
      return;
    }
    const length = this.pendingLength + end - start;
    this.emit(this.pendingLength === 0 ? [chunk.subarray(start, end)] : this.takePending(chunk.subarray(start, end)), length);
  }

  private keep(piece: Buffer): void {
    if (this.discarding) return;
    this.pendingLength += piece.length;
    if (this.pendingLength > this.maxLineLength) {
      this.onOverflow();
      this.parts = [];
      this.discarding = true;
      return;
    }
    this.parts.push(piece);
  }

  private takePending(last: Buffer): Buffer[] {
    const parts = this.parts;
    parts.push(last);
    this.parts = [];
    return parts;
  }

  private reset(): void {
    if (this.parts.length > 0) this.parts = [];
    this.pendingLength = 0;
    this.discarding = false;
  }

  private emit(pieces: Buffer[], length: number): void {
    this.reset();
    while (pieces.length > 1 && pieces[pieces.length - 1]!.length === 0) pieces.pop();
    const last = pieces[pieces.length - 1]!;
    if (last[last.length - 1] === CARRIAGE_RETURN) {
      pieces[pieces.length - 1] = last.subarray(0, -1);
      length--;
    }
    if (length > 0) this.onLine(pieces, length);
  }
}

/**
 * Routes one stdout line: a JSON object goes to `onMessage`, a JSON array of objects (a batch) to
 * `onMessage` element by element; anything else (banners, logs, broken JSON) to `onNoise`. A big
 * result response is handed on unparsed (raw-response.ts); everything else is decoded and parsed.
 */
export function dispatchLine(
  pieces: readonly Buffer[],
  length: number,
  onMessage: (message: RpcMessage, size: number) => void,
  onNoise: (line: string) => void,
): void {
  if (length >= RAW_RESPONSE_MIN_BYTES) {
    const raw = readRawResponse(pieces);
    if (raw) {
      onMessage(raw, length);
      return;
    }
  }
  const line = textOf(pieces);
  if (!startsLikeJson(line)) {
    onNoise(line);
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    onNoise(line);
    return;
  }
  if (Array.isArray(value)) {
    const batch = value as unknown[];
    if (batch.length > 0 && batch.every(isObject)) for (const message of batch) onMessage(message as RpcMessage, 0);
    else onNoise(line);
  } else if (isObject(value)) {
    onMessage(value as RpcMessage, length);
  } else {
    onNoise(line);
  }
}

/** The pieces of a line, decoded as UTF-8. */
export function textOf(pieces: readonly Buffer[]): string {
  return pieces.length === 1 ? pieces[0]!.toString('utf8') : Buffer.concat(pieces).toString('utf8');
}

/** Cheap pre-check so log lines do not pay for a JSON.parse exception. */
function startsLikeJson(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code === 0x7b || code === 0x5b) return true; // { [
    if (code !== 0x20 && code !== 0x09) return false;
  }
  return false;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
