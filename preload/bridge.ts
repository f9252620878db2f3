/**
 * The bridge the preload exposes as `window.orch`: exactly `OrchBridge` (invoke + subscribe), over
 * the app's IPC channels, and nothing else: no ipcRenderer, no Node, no other channel reaches the
 * page. Runs in the sandboxed preload; bundled into one file with no runtime imports but electron.
 */
import { BRIDGE_GLOBAL, type OrchBridge } from '../shared/api/bridge.js';
import type { OrchEvent } from '../shared/api/events.js';
import { failure, type Result } from '../shared/api/result.js';
import { IPC_CHANNELS } from '../shared/api/ipc-channels.js';

/** The part of `ipcRenderer` the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** The part of `contextBridge` the preload uses. */
export interface ContextBridgeLike {
  exposeInMainWorld(apiKey: string, api: unknown): void;
}

export function createBridge(ipc: IpcRendererLike): OrchBridge {
  const subscriptions = new Set<{ listener: (event: OrchEvent) => void }>();
  const deliver = (_event: unknown, orchEvent: unknown): void => {
    for (const subscription of [...subscriptions]) {
      try {
        subscription.listener(orchEvent as OrchEvent);
      } catch (error) {
        // One failing listener must not starve the others.
        console.error('mcp-orch: an event listener failed', error);
      }
    }
  };
  return {
    async invoke(id, input) {
      try {
        return (await ipc.invoke(IPC_CHANNELS.invoke, id, input)) as Result;
      } catch (error) {
        return failure('internal', `the MCP Orch bridge failed: ${(error as Error).message}`);
      }
    },
    subscribe(listener) {
      if (typeof listener !== 'function') throw new TypeError('subscribe needs a listener function');
      const subscription = { listener };
      subscriptions.add(subscription);
      if (subscriptions.size === 1) {
        ipc.on(IPC_CHANNELS.event, deliver);
        ipc.send(IPC_CHANNELS.subscribe);
      }
      return () => {
        if (!subscriptions.delete(subscription) || subscriptions.size > 0) return;
        ipc.removeListener(IPC_CHANNELS.event, deliver);
        ipc.send(IPC_CHANNELS.unsubscribe);
      };
    },
  };
}

/** Exposes the bridge, and only the bridge, as `window.orch`. */
export function exposeBridge(contextBridge: ContextBridgeLike, ipc: IpcRendererLike): void {
  const bridge = createBridge(ipc);
  // A fresh object of exactly the two functions: nothing else can ride along.
  const exposed: OrchBridge = { invoke: (id, input) => bridge.invoke(id, input), subscribe: (listener) => bridge.subscribe(listener) };
  contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, exposed);
}
