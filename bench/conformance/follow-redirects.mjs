#!/usr/bin/env node
// The "browser" of bench/conformance/client.mjs: the daemon runs `$BROWSER <authorization URL>` to
// let the user sign in to a remote server. Here no one is at a browser, and the conformance
// scenario's authorization server approves at once: this script GETs the URL, follows the
// `Location` of each redirect (bounded, http(s) on this machine only), and ends after the last GET,
// which is the daemon's own `/oauth/callback?code=…`. It plays the user who presses Sign in.
//
//   node bench/conformance/follow-redirects.mjs <url>
import { fileURLToPath } from 'node:url';

export const MAX_HOPS = 10;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const HOP_TIMEOUT_MS = 10_000;

/** `text` as a URL the follower may GET: http(s), on 127.0.0.1/localhost/[::1]; throws otherwise. */
export function allowedUrl(text, base) {
  let url;
  try {
    url = new URL(text, base);
  } catch {
    throw new Error(`not a URL: ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`refused ${url.protocol} URL (http and https only)`);
  if (!LOOPBACK_HOSTS.has(url.hostname)) throw new Error(`refused host ${url.hostname} (this machine only)`);
  if (url.username || url.password) throw new Error('refused a URL with credentials');
  return url;
}

/** Where a response sends the follower next: its Location against the URL it answered, or undefined when it is not a redirect. */
export function nextHop(status, location, from) {
  if (status < 300 || status > 399 || status === 304) return undefined;
  if (!location) throw new Error(`redirect ${status} from ${from.origin}${from.pathname} without a Location`);
  return allowedUrl(location, from);
}

/** GETs `start` and every redirect after it, at most `MAX_HOPS`; resolves with the last URL and its status. */
export async function follow(start, { fetchImpl = fetch, maxHops = MAX_HOPS } = {}) {
  let url = allowedUrl(start);
  for (let hop = 0; hop <= maxHops; hop++) {
    const response = await fetchImpl(url, { redirect: 'manual', signal: globalThis.AbortSignal.timeout(HOP_TIMEOUT_MS) });
    await response.arrayBuffer().catch(() => undefined);
    const next = nextHop(response.status, response.headers.get('location'), url);
    if (!next) return { url, status: response.status, hops: hop };
    url = next;
  }
  throw new Error(`more than ${maxHops} redirects`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = process.argv[2];
  if (!target) {
    console.error('usage: follow-redirects.mjs <url>');
    process.exit(2);
  }
  follow(target).then(
    ({ url, status, hops }) => {
      console.error(`follow-redirects: ${status} at ${url.origin}${url.pathname} after ${hops} redirect(s)`);
      process.exit(status >= 200 && status < 300 ? 0 : 1);
    },
    (error) => {
      console.error(`follow-redirects: ${error.message}`);
      process.exit(1);
    },
  );
}
