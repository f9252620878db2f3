/**
 * Bridge mode: the page gets a `window.orch` (the Electron preload's shape: `invoke` and
 * `subscribe`) before it loads, so the renderer takes its IPC path instead of fetch. The test
 * process answers it as the desktop app's main process does: with the daemon's own dispatch, as the
 * local admin (`dispatcherBridge`), events pushed into the page one by one. Only Electron's IPC is
 * missing from the path.
 */
import type { Page } from '@playwright/test';
import type { OrchEvent } from '../shared/api/events.js';
import type { OperationId } from '../shared/api/operations.js';
import { localPrincipal } from '../main/core/auth/roles.js';
import { dispatcherBridge } from '../main/core/operations/dispatcher-bridge.js';
import type { Runtime } from '../main/core/runtime.js';

interface BridgeWindow {
  __orchInvoke(id: string, input: unknown): Promise<unknown>;
  __orchSubscribe(): Promise<void>;
  __orchDeliver?: (event: OrchEvent) => void;
  orch?: unknown;
}

/** Installs the bridge on `page` (call before the first navigation); answers a function that unsubscribes. */
export async function injectBridge(page: Page, daemon: { runtime: Runtime }): Promise<() => void> {
  // The daemon may be restarted by a test: each call goes to the runtime of the moment.
  const bridge = () => dispatcherBridge(daemon.runtime.operations, localPrincipal('desktop'));
  let unsubscribe: (() => void) | undefined;
  await page.exposeBinding('__orchInvoke', (_source, id: string, input: unknown) => bridge().invoke(id as OperationId, input));
  await page.exposeBinding('__orchSubscribe', () => {
    unsubscribe?.();
    unsubscribe = bridge().subscribe((event) => {
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
      subscribe(listener: (event: OrchEvent) => void, onStatus?: (status: 'open') => void) {
        listeners.add(listener);
        // Open once the test process has subscribed to the daemon, as the main process says it.
        if (listeners.size === 1) void target.__orchSubscribe().then(() => onStatus?.('open'));
        else onStatus?.('open');
        return () => listeners.delete(listener);
      },
    };
  });
  return () => unsubscribe?.();
}
