/**
 * The daemon's token, as the page was opened with it (`/?access_token=…`). It leaves the address
 * bar at once (so it is not bookmarked, shared or kept in history), and is kept for this tab only:
 * in memory and sessionStorage, never localStorage.
 */
export const TOKEN_KEY = 'mcp-orch.token';

export interface TokenPlace {
  location: Pick<Location, 'href'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
}

/** Takes the token out of the URL (or this tab's storage); undefined when there is none. */
export function takeToken(place: TokenPlace): string | undefined {
  const url = new URL(place.location.href);
  const fromUrl = url.searchParams.get('access_token');
  if (fromUrl !== null) {
    url.searchParams.delete('access_token');
    place.history.replaceState(place.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    if (fromUrl) {
      place.storage.setItem(TOKEN_KEY, fromUrl);
      return fromUrl;
    }
  }
  return place.storage.getItem(TOKEN_KEY) ?? undefined;
}

/** A token the user pasted, or none to forget it. */
export function keepToken(storage: TokenPlace['storage'], token: string | undefined): void {
  if (token) storage.setItem(TOKEN_KEY, token);
  else storage.removeItem(TOKEN_KEY);
}
