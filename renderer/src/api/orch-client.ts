/**
 * The page's one client of the API: through the Electron preload bridge when `window.orch` exists,
 * else REST and `/api/events` on the page's own origin with the bearer token.
 */
import { BRIDGE_GLOBAL, bridgeTransport, type OrchBridge } from '@shared/api/bridge';
import { createClient, type OrchClient } from '@shared/api/client';
import { fetchTransport } from '@shared/api/fetch-transport';

export interface ClientChoice {
  client: OrchClient;
  /** `bridge` inside the desktop window (or a test that injects one), `fetch` in a browser. */
  kind: 'bridge' | 'fetch';
}

function bridgeOf(target: object): OrchBridge | undefined {
  const candidate = (target as Record<string, unknown>)[BRIDGE_GLOBAL] as Partial<OrchBridge> | undefined;
  return candidate && typeof candidate.invoke === 'function' && typeof candidate.subscribe === 'function'
    ? (candidate as OrchBridge)
    : undefined;
}

export function chooseClient(target: object, token: () => string | undefined): ClientChoice {
  const bridge = bridgeOf(target);
  if (bridge) return { client: createClient(bridgeTransport(bridge)), kind: 'bridge' };
  return { client: createClient(fetchTransport({ baseUrl: '', token })), kind: 'fetch' };
}
