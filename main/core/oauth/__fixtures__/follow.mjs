// Follows an authorization URL the way a browser would when the authorization server approves at
// once: through its redirects to the redirect URI (the daemon's `/oauth/callback`), opened once.
const MAX_HOPS = 10;

/** Resolves with the callback page's status line; rejects for a URL off the loopback or too many hops. */
export async function followToCallback(start) {
  let url = new URL(start);
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) || !/^https?:$/.test(url.protocol))
      throw new Error(`refusing to open ${url.origin}: only loopback addresses are followed`);
    const response = await fetch(url, { redirect: 'manual' });
    const location = response.headers.get('location');
    await response.body?.cancel();
    if (url.pathname === '/oauth/callback' || !location || response.status < 300 || response.status >= 400)
      return `${response.status} at ${url.pathname}`;
    url = new URL(location, url);
  }
  throw new Error(`more than ${MAX_HOPS} redirects`);
}
