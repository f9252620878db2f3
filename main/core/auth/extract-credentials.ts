/**
 * Where a request carries its token (RFC 6750): the `Authorization: Bearer <token>` header, or for
 * clients that cannot set headers the `access_token` query parameter. The query is the weaker
 * option — URLs end up in logs and histories — so `redactUrl` must be applied to any URL logged.
 */

/** The parts of a request this module reads; Node's `IncomingMessage` and Koa's request fit. */
export interface RequestLike {
  headers: { authorization?: string | string[] | undefined };
  /** Path and query, e.g. `/mcp/github?access_token=…`, or an absolute URL. */
  url?: string | undefined;
}

/** Where the token was found. */
export type CredentialSource = 'header' | 'query';

/** The outcome of `extractCredentials`. */
export type CredentialResult =
  | { ok: true; token: string; source: CredentialSource }
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'malformed'; message: string };

/** The query parameter of RFC 6750 §2.3. */
export const ACCESS_TOKEN_PARAM = 'access_token';

/** RFC 6750 b64token, which every token of ours satisfies. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The token of `request`. Malformed: an `Authorization` header of another scheme or with no token,
 * several `access_token` parameters, or a token sent both ways (RFC 6750 allows one method only).
 */
export function extractCredentials(request: RequestLike): CredentialResult {
  const header = headerToken(request.headers.authorization);
  if (header.ok === false && header.reason === 'malformed') return header;
  const queryTokens = queryValues(request.url ?? '', ACCESS_TOKEN_PARAM);
  if (queryTokens.length > 1) return malformed(`send one ${ACCESS_TOKEN_PARAM} parameter, not ${queryTokens.length}`);
  const query = queryTokens[0];
  if (header.ok) {
    if (query !== undefined) return malformed(`send the token either in the Authorization header or as ?${ACCESS_TOKEN_PARAM}, not both`);
    return header;
  }
  if (query === undefined) return { ok: false, reason: 'missing' };
  if (!B64TOKEN.test(query)) return malformed(`the ${ACCESS_TOKEN_PARAM} parameter is empty or not a token`);
  return { ok: true, token: query, source: 'query' };
}

/** `url` with the value of every `access_token` parameter replaced by `REDACTED`, for logs. */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start === -1) return url;
  const hash = url.indexOf('#', start);
  const end = hash === -1 ? url.length : hash;
  const params = url
    .slice(start + 1, end)
    .split('&')
    .map((pair) => (isParam(pair, ACCESS_TOKEN_PARAM) ? `${nameOf(pair)}=REDACTED` : pair));
  return `${url.slice(0, start + 1)}${params.join('&')}${url.slice(end)}`;
}

/** The `WWW-Authenticate` value of a 401 (RFC 6750 §3): `invalid_request` for malformed, `invalid_token` for a bad token. */
export function wwwAuthenticate(error?: 'invalid_request' | 'invalid_token'): string {
  return error ? `Bearer realm="mcp-orch", error="${error}"` : 'Bearer realm="mcp-orch"';
}

function headerToken(value: string | string[] | undefined): CredentialResult {
  if (value === undefined) return { ok: false, reason: 'missing' };
  if (Array.isArray(value)) return value.length === 1 ? headerToken(value[0]) : malformed('send one Authorization header');
  const match = /^\s*(\S+)(?:\s+(.*?))?\s*$/.exec(value);
  if (!match || match[1]?.toLowerCase() !== 'bearer') {
    return malformed('the Authorization header must use the Bearer scheme: `Authorization: Bearer <token>`');
  }
  const token = match[2] ?? '';
  if (!B64TOKEN.test(token)) return malformed('the Authorization header has no valid token after "Bearer"');
  return { ok: true, token, source: 'header' };
}

function malformed(message: string): CredentialResult {
  return { ok: false, reason: 'malformed', message };
}

/** Decoded values of `name` in the query of `url`; names are compared after percent-decoding. */
function queryValues(url: string, name: string): string[] {
  const start = url.indexOf('?');
  if (start === -1) return [];
  const hash = url.indexOf('#', start);
  const query = url.slice(start + 1, hash === -1 ? undefined : hash);
  const values: string[] = [];
  for (const pair of query.split('&')) {
    if (!isParam(pair, name)) continue;
    const equals = pair.indexOf('=');
    values.push(equals === -1 ? '' : decode(pair.slice(equals + 1)));
  }
  return values;
}

/** The raw (still encoded) name of a `name=value` pair. */
function nameOf(pair: string): string {
  const equals = pair.indexOf('=');
  return equals === -1 ? pair : pair.slice(0, equals);
}

function isParam(pair: string, name: string): boolean {
  return decode(nameOf(pair)).toLowerCase() === name;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
