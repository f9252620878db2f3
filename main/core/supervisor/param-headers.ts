/**
 * SEP-2243 custom headers, for 2026-07-28 servers over Streamable HTTP: a tool's input schema may
 * mark a parameter `x-mcp-header: <Name>`, and a client then mirrors that argument's value into an
 * `Mcp-Param-<Name>` header of the `tools/call` request (so gateways can route on it without
 * reading the body). A tool whose marks break the rules must not be offered at all. Pure: the
 * remote channel scans each listed tool here and asks for a call's headers.
 */

/** A declared header: its name (as written) and the path of `properties` keys to the argument. */
export interface ParamHeader {
  name: string;
  path: string[];
}

/** A tool's marks: the headers to send, or why the tool must not be offered. */
export type HeaderScan = { ok: true; headers: ParamHeader[] } | { ok: false; reason: string };

const MARK = 'x-mcp-header';
/** RFC 9110 token characters: what a header name may be made of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** The JSON Schema types a marked parameter may have. */
const PRIMITIVES = new Set(['string', 'integer', 'boolean']);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Scans a tool's `inputSchema` for `x-mcp-header` marks. A mark is valid on a property reached from
 * the root by `properties` keys only, with a primitive type (string, integer, boolean), a non-empty
 * token name, unique regardless of case. Any other mark (under `items`, `anyOf`, `$defs`…) makes
 * the whole tool invalid.
 */
export function scanParamHeaders(inputSchema: unknown): HeaderScan {
  const headers: ParamHeader[] = [];
  const seen = new Map<string, string>();
  let fault: string | undefined;
  const visit = (node: unknown, path: string[], reachable: boolean): void => {
    if (fault !== undefined) return;
    if (Array.isArray(node)) {
      node.forEach((item) => visit(item, path, false));
      return;
    }
    if (!isObject(node)) return;
    if (MARK in node) {
      const where = path.length > 0 ? path.join('.') : '(root)';
      const name = node[MARK];
      const type = node.type;
      if (!reachable || path.length === 0) fault = `${where}: ${MARK} is allowed only on a property reached through "properties"`;
      else if (typeof name !== 'string' || name.length === 0) fault = `${where}: ${MARK} must be a non-empty string`;
      else if (!TOKEN.test(name)) fault = `${where}: ${MARK} "${name}" is not a valid header name`;
      else if (typeof type !== 'string' || !PRIMITIVES.has(type))
        fault = `${where}: ${MARK} is allowed only on string, integer or boolean (got ${String(type)})`;
      else if (seen.has(name.toLowerCase()))
        fault = `${MARK} "${name}" repeats "${seen.get(name.toLowerCase())}" (names are case-insensitive)`;
      else {
        seen.set(name.toLowerCase(), name);
        headers.push({ name, path });
      }
      if (fault !== undefined) return;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties' && isObject(value) && reachable) {
        for (const [property, schema] of Object.entries(value)) visit(schema, [...path, property], true);
      } else if (key !== MARK) {
        visit(value, path, false);
      }
    }
  };
  visit(inputSchema, [], true);
  return fault === undefined ? { ok: true, headers } : { ok: false, reason: fault };
}

/** Whether a value must travel Base64-encoded: non-ASCII, control characters, or whitespace at either end. */
function unsafe(value: string): boolean {
  return /[^\x20-\x7e]/.test(value) || value !== value.trim();
}

/** A value as a header value: plain when safe, else `=?base64?<UTF-8 in Base64>?=`. */
export function encodeHeaderValue(value: string): string {
  return unsafe(value) ? `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=` : value;
}

/**
 * The `Mcp-Param-<Name>` headers of a call with `args`, for the marks of `scan`: one per marked
 * argument that is present and not null (strings encoded, numbers and booleans as text).
 */
export function paramHeaders(scan: HeaderScan | undefined, args: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!scan?.ok) return out;
  for (const header of scan.headers) {
    let value: unknown = args;
    for (const key of header.path) value = isObject(value) ? value[key] : undefined;
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') out[`Mcp-Param-${header.name}`] = encodeHeaderValue(value);
    else if (typeof value === 'number' || typeof value === 'boolean') out[`Mcp-Param-${header.name}`] = String(value);
  }
  return out;
}
