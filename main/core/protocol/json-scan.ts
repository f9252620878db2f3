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
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

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

export function skipSpace(bytes: Uint8Array, at: number): number {
  while (at < bytes.length && isSpace(bytes[at])) at++;
  return at;
}

/** The end (past the closing quote) of the string whose opening quote is at `at`; -1 if it never closes. */
function stringEnd(bytes: Buffer, at: number): number {
  let quote = at + 1;
  for (;;) {
    quote = bytes.indexOf(QUOTE, quote);
    if (quote === -1) return -1;
    let backslashes = 0;
    while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    quote++;
  }
}

/** The end of the array or object opening at `at`, its brackets matched; -1 if they do not match. */
function containerEnd(bytes: Buffer, at: number): number {
  const closers: number[] = [];
  for (let i = at; i < bytes.length; i++) {
    const byte = bytes[i];
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
export function valueEnd(bytes: Buffer, at: number): number {
  const byte = bytes[at];
  if (byte === undefined) return -1;
  if (byte === QUOTE) return stringEnd(bytes, at);
  if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) return containerEnd(bytes, at);
  let end = at;
  while (end < bytes.length && isScalarByte(bytes[end]!)) end++;
  return end > at ? end : -1;
}

/**
 * The members of the object starting at `at` (after any whitespace). `outline(key)` names the
 * members whose object value is outlined too, in the same walk. `undefined` when the text is not
 * an object this scanner reads plainly.
 */
export function outlineObject(bytes: Buffer, at: number, outline: (key: string) => boolean = () => false): JsonOutline | undefined {
  let i = skipSpace(bytes, at);
  if (bytes[i] !== OPEN_OBJECT) return undefined;
  const members = new Map<string, JsonMember>();
  i = skipSpace(bytes, i + 1);
  if (bytes[i] === CLOSE_OBJECT) return { members, end: i + 1 };
  for (;;) {
    if (bytes[i] !== QUOTE) return undefined;
    const keyEnd = stringEnd(bytes, i);
    if (keyEnd === -1) return undefined;
    const rawKey = bytes.subarray(i + 1, keyEnd - 1);
    if (rawKey.includes(BACKSLASH)) return undefined;
    const key = rawKey.toString('utf8');
    if (members.has(key)) return undefined;
    i = skipSpace(bytes, keyEnd);
    if (bytes[i] !== COLON) return undefined;
    const start = skipSpace(bytes, i + 1);
    const member: JsonMember = { key, start, end: -1 };
    if (bytes[start] === OPEN_OBJECT && outline(key)) {
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
    if (bytes[i] === CLOSE_OBJECT) return { members, end: i + 1 };
    if (bytes[i] !== COMMA) return undefined;
    i = skipSpace(bytes, i + 1);
  }
}
