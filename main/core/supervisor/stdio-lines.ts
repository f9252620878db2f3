/** The framing of a stdio MCP server's stdout: newline-delimited JSON-RPC, with stray non-JSON lines told apart. */
import type { RpcMessage } from '../protocol/jsonrpc.js';
import { RAW_RESPONSE_MIN_BYTES, readRawResponse } from '../protocol/raw-response.js';

/** Longest stdout line (one JSON-RPC message), in bytes, we buffer before giving up on it. */
export const MAX_MESSAGE_LENGTH = 64 * 1024 * 1024;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Splits a byte stream into lines without rescanning: each chunk is searched once for '\n', and the
 * pieces of an unfinished line are only joined when it ends. Lines stay bytes (a 10 MB answer may
 * be forwarded without ever being decoded: raw-response.ts); '\n' never occurs inside a UTF-8
 * sequence, so a character split across chunks is whole again in its line. Strips a trailing '\r'
 * and skips empty lines. A line longer than `maxLineLength` bytes is dropped (reported once through
 * `onOverflow`).
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private pendingLength = 0;
  private discarding = false;

  constructor(
    private readonly onLine: (line: Buffer) => void,
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
    if (!this.discarding && this.pendingLength > 0) this.emit(this.takePending(Buffer.alloc(0)));
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
    this.emit(this.pendingLength === 0 ? chunk.subarray(start, end) : this.takePending(chunk.subarray(start, end)));
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

  private takePending(last: Buffer): Buffer {
    this.parts.push(last);
    const line = Buffer.concat(this.parts, this.pendingLength + last.length);
    this.reset();
    return line;
  }

  private reset(): void {
    if (this.parts.length > 0) this.parts = [];
    this.pendingLength = 0;
    this.discarding = false;
  }

  private emit(line: Buffer): void {
    const bytes = line[line.length - 1] === CARRIAGE_RETURN ? line.subarray(0, -1) : line;
    if (bytes.length > 0) this.onLine(bytes);
  }
}

/**
 * Routes one stdout line: a JSON object goes to `onMessage`, a JSON array of objects (a batch) to
 * `onMessage` element by element; anything else (banners, logs, broken JSON) to `onNoise`. A big
 * result response is handed on unparsed (raw-response.ts); everything else is decoded and parsed.
 */
export function dispatchLine(bytes: Buffer, onMessage: (message: RpcMessage, size: number) => void, onNoise: (line: string) => void): void {
  if (bytes.length >= RAW_RESPONSE_MIN_BYTES) {
    const raw = readRawResponse(bytes);
    if (raw) {
      onMessage(raw, bytes.length);
      return;
    }
  }
  const line = bytes.toString('utf8');
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
    onMessage(value as RpcMessage, bytes.length);
  } else {
    onNoise(line);
  }
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
