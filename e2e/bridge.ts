/**
 * Bridge mode: the page gets a `window.orch` (the Electron preload's shape: `invoke` and
 * `subscribe`) before it loads, so the renderer takes its IPC path instead of fetch. Until the
 * daemon's transport-neutral dispatch exists, the test process answers the bridge with the typed
 * client over REST: `invoke` → `client.call(id, input)`, `subscribe` → `client.subscribe`, events
 * pushed into the page one by one. This module is the one place to point at the dispatch later.
 */
import type { Page } from '@playwright/test';
import { createClient, type CallableId, type InputOf } from '../shared/api/client.js';
import type { OrchEvent } from '../shared/api/events.js';
import { fetchTransport } from '../shared/api/fetch-transport.js';

interface BridgeWindow {
  __orchInvoke(id: string, input: unknown): Promise<unknown>;
  __orchSubscribe(): Promise<void>;
  __orchDeliver?: (event: OrchEvent) => void;
  orch?: unknown;
}

/** Installs the bridge on `page` (call before the first navigation); answers a function that unsubscribes. */
export async function injectBridge(page: Page, daemon: { url: string; token: string }): Promise<() => void> {
  const client = createClient(fetchTransport({ baseUrl: daemon.url, token: daemon.token }));
  let unsubscribe: (() => void) | undefined;
  await page.exposeBinding('__orchInvoke', (_source, id: string, input: unknown) => client.call(id as CallableId, input as InputOf<CallableId>));
  await page.exposeBinding('__orchSubscribe', () => {
    unsubscribe?.();
    unsubscribe = client.subscribe((event) => {
      page.evaluate((pushed) => (globalThis as unknown as BridgeWindow).__orchDeliver?.(pushed), event).catch(() => undefined);
    });
  });
  await page.addInitScript(() => {
    const target = globalThis as unknown as BridgeWindow;
    const listeners = new Set<(event: OrchEvent) => void>();
    target.__orchDeliver = (event) => {
      for (const listener of listeners) listener(event);
    };
    target.orch = {
      invoke: (id: string, input: unknown) => target.__orchInvoke(id, input),
      subscribe(listener: (event: OrchEvent) => void) {
        listeners.add(listener);
        if (listeners.size === 1) void target.__orchSubscribe();
        return () => listeners.delete(listener);
      },
    };
  });
  return () => unsubscribe?.();
}
