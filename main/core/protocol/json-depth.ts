/**
 * How deep JSON text nests, counted before anything parses or recurses over it: the one limit of
 * the REST API and the MCP endpoints (docs/specification.md §13), so that arguments nested 100,000
 * deep are refused at the edge with a clear reason instead of overflowing a stack further in.
 */

/** Nesting deeper than this is refused. */
export const MAX_DEPTH = 128;

/** The deepest `[`/`{` nesting of JSON text, strings skipped; stops counting past `MAX_DEPTH`. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      if (++depth > deepest && (deepest = depth) > MAX_DEPTH) return deepest;
    } else if (char === 0x5d || char === 0x7d) depth--;
  }
  return deepest;
}
