/**
 * Reads the outline of JSON text in bytes without parsing it: the members of an object (each key
 * with where its value starts and ends), nested values skipped by a bracket- and string-aware scan
 * that jumps from quote to quote. What a 10 MB answer needs to be routed costs this walk, not a
 * `JSON.parse` and a `JSON.stringify` of the whole text (docs/architecture.md, "Big answers").
 *
 * It checks the structure it walks (quotes closed, brackets matched, colons and commas between the
 * members of the objects it outlines) and refuses anything it cannot read plainly (a key with an
 * escape, a duplicate key) by answering `undefined`: the caller then parses as usual. It does not
 * check what it skips inside a nested value (the digits of a number, escapes within a string).
 *
 * The text may be one buffer or the chunks it was read in (`ChunkedBytes`): a 10 MB line read
 * from a pipe is ~150 chunks, and outlining them where they are saves joining them.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

/** Bytes in one buffer or several, read by index. */
export class ChunkedBytes {
  readonly length: number;
  /** Where each chunk starts. */
  private readonly starts: number[] = [];
  /** The chunk the last lookup landed in: scans go forward, so the next one is usually there. */
  private current = 0;

  constructor(private readonly chunks: readonly Buffer[]) {
    let length = 0;
    for (const chunk of chunks) {
      this.starts.push(length);
      length += chunk.length;
    }
    this.length = length;
  }

  /** The index of the chunk holding byte `index` (which must be within the bytes). */
  private chunkOf(index: number): number {
    let chunk = this.current;
    const inside = (at: number): boolean => index >= this.starts[at]! && index < this.starts[at]! + this.chunks[at]!.length;
    if (!inside(chunk)) {
      let low = 0;
      let high = this.chunks.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (this.starts[middle]! <= index) low = middle;
        else high = middle - 1;
      }
      chunk = low;
      // Empty chunks share their start with the next one.
      while (this.chunks[chunk]!.length === 0) chunk++;
    }
    this.current = chunk;
    return chunk;
  }

  /** The byte at `index`; undefined past the end. */
  at(index: number): number | undefined {
    if (index < 0 || index >= this.length) return undefined;
    const chunk = this.chunkOf(index);
    return this.chunks[chunk]![index - this.starts[chunk]!];
  }

  /** The first `byte` at or after `from`; -1 if none. */
  indexOf(byte: number, from: number): number {
    if (from >= this.length) return -1;
    for (let chunk = this.chunkOf(Math.max(0, from)); chunk < this.chunks.length; chunk++) {
      const start = this.starts[chunk]!;
      const found = this.chunks[chunk]!.indexOf(byte, Math.max(0, from - start));
      if (found !== -1) {
        this.current = chunk;
        return start + found;
      }
    }
    return -1;
  }

  /** The bytes `[start, end)`, as subarrays of the chunks (nothing copied). */
  pieces(start: number, end: number): Buffer[] {
    const pieces: Buffer[] = [];
    if (end <= start) return pieces;
    for (let chunk = this.chunkOf(start); chunk < this.chunks.length; chunk++) {
      const chunkStart = this.starts[chunk]!;
      if (chunkStart >= end) break;
      const bytes = this.chunks[chunk]!;
      pieces.push(bytes.subarray(Math.max(0, start - chunkStart), Math.min(bytes.length, end - chunkStart)));
    }
    return pieces;
  }

  /** The bytes `[start, end)` decoded as UTF-8. */
  text(start: number, end: number): string {
    const pieces = this.pieces(start, end);
    return pieces.length === 1 ? pieces[0]!.toString('utf8') : Buffer.concat(pieces).toString('utf8');
  }
}

/** One member of an object: its key, and its value's bytes `[start, end)`. */
export interface JsonMember {
  key: string;
  start: number;
  end: number;
  /** The members of the value, when it is an object the caller asked to outline too. */
  members?: Map<string, JsonMember>;
}

/** An object's members by key, and the end of the object (just past its `}`). */
export interface JsonOutline {
  members: Map<string, JsonMember>;
  end: number;
}

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

export function skipSpace(bytes: ChunkedBytes, at: number): number {
  while (at < bytes.length && isSpace(bytes.at(at))) at++;
  return at;
}

/** The end (past the closing quote) of the string whose opening quote is at `at`; -1 if it never closes. */
function stringEnd(bytes: ChunkedBytes, at: number): number {
  let quote = at + 1;
  for (;;) {
    quote = bytes.indexOf(QUOTE, quote);
    if (quote === -1) return -1;
    let backslashes = 0;
    while (bytes.at(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    quote++;
  }
}

/** The end of the array or object opening at `at`, its brackets matched; -1 if they do not match. */
function containerEnd(bytes: ChunkedBytes, at: number): number {
  const closers: number[] = [];
  for (let i = at; i < bytes.length; i++) {
    const byte = bytes.at(i);
    if (byte === QUOTE) {
      const end = stringEnd(bytes, i);
      if (end === -1) return -1;
      i = end - 1;
    } else if (byte === OPEN_OBJECT) closers.push(CLOSE_OBJECT);
    else if (byte === OPEN_ARRAY) closers.push(CLOSE_ARRAY);
    else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      if (closers.pop() !== byte) return -1;
      if (closers.length === 0) return i + 1;
    }
  }
  return -1;
}

/** A number, `true`, `false` or `null`: the bytes they are written with. */
function isScalarByte(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x2d || byte === 0x2b || byte === 0x2e || byte === 0x45
  );
}

/** The end of the value starting at `at`; -1 when there is none or it is malformed. */
export function valueEnd(bytes: ChunkedBytes, at: number): number {
  const byte = bytes.at(at);
  if (byte === undefined) return -1;
  if (byte === QUOTE) return stringEnd(bytes, at);
  if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) return containerEnd(bytes, at);
  let end = at;
  while (end < bytes.length && isScalarByte(bytes.at(end)!)) end++;
  return end > at ? end : -1;
}

/**
 * The members of the object starting at `at` (after any whitespace). `outline(key)` names the
 * members whose object value is outlined too, in the same walk. `undefined` when the text is not
 * an object this scanner reads plainly.
 */
export function outlineObject(bytes: ChunkedBytes, at: number, outline: (key: string) => boolean = () => false): JsonOutline | undefined {
  let i = skipSpace(bytes, at);
  if (bytes.at(i) !== OPEN_OBJECT) return undefined;
  const members = new Map<string, JsonMember>();
  i = skipSpace(bytes, i + 1);
  if (bytes.at(i) === CLOSE_OBJECT) return { members, end: i + 1 };
  for (;;) {
    if (bytes.at(i) !== QUOTE) return undefined;
    const keyEnd = stringEnd(bytes, i);
    if (keyEnd === -1) return undefined;
    const key = bytes.text(i + 1, keyEnd - 1);
    if (key.includes('\\') || members.has(key)) return undefined;
    i = skipSpace(bytes, keyEnd);
    if (bytes.at(i) !== COLON) return undefined;
    const start = skipSpace(bytes, i + 1);
    const member: JsonMember = { key, start, end: -1 };
    if (bytes.at(start) === OPEN_OBJECT && outline(key)) {
      const inner = outlineObject(bytes, start);
      if (!inner) return undefined;
      member.members = inner.members;
      member.end = inner.end;
    } else {
      member.end = valueEnd(bytes, start);
      if (member.end === -1) return undefined;
    }
    members.set(key, member);
    i = skipSpace(bytes, member.end);
    if (bytes.at(i) === CLOSE_OBJECT) return { members, end: i + 1 };
    if (bytes.at(i) !== COMMA) return undefined;
    i = skipSpace(bytes, i + 1);
  }
}
