/**
 * The bridge the preload exposes as `window.orch`: exactly `OrchBridge` (invoke + subscribe), over
 * the app's IPC channels, and nothing else: no ipcRenderer, no Node, no other channel reaches the
 * page. Runs in the sandboxed preload; bundled into one file with no runtime imports but electron.
 */
import { BRIDGE_GLOBAL, type OrchBridge } from '../shared/api/bridge.js';
import type { OrchEvent } from '../shared/api/events.js';
import { failure, type Result } from '../shared/api/result.js';
import { IPC_CHANNELS } from '../shared/api/ipc-channels.js';
import type { ConnectionStatus } from '../shared/api/transport.js';

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

const STATUSES = new Set<unknown>(['starting', 'connecting', 'open', 'closed'] satisfies ConnectionStatus[]);

interface Subscription {
  listener: (event: OrchEvent) => void;
  onStatus?: (status: ConnectionStatus) => void;
}

export function createBridge(ipc: IpcRendererLike): OrchBridge {
  const subscriptions = new Set<Subscription>();
  /** What the main process last said of this frame's subscription; none until it has spoken. */
  let status: ConnectionStatus | undefined;
  const each = (call: (subscription: Subscription) => void): void => {
    for (const subscription of [...subscriptions]) {
      try {
        call(subscription);
      } catch (error) {
        // One failing listener must not starve the others.
        console.error('mcp-orch: an event listener failed', error);
      }
    }
  };
  const deliver = (_event: unknown, orchEvent: unknown): void => each((subscription) => subscription.listener(orchEvent as OrchEvent));
  const hear = (_event: unknown, said: unknown): void => {
    if (!STATUSES.has(said)) return;
    status = said as ConnectionStatus;
    each((subscription) => subscription.onStatus?.(status!));
  };
  return {
    async invoke(id, input) {
      try {
        return (await ipc.invoke(IPC_CHANNELS.invoke, id, input)) as Result;
      } catch (error) {
        return failure('internal', `the MCP Orch bridge failed: ${(error as Error).message}`);
      }
    },
    subscribe(listener, onStatus) {
      if (typeof listener !== 'function') throw new TypeError('subscribe needs a listener function');
      const subscription: Subscription = { listener, ...(typeof onStatus === 'function' ? { onStatus } : {}) };
      subscriptions.add(subscription);
      if (subscriptions.size === 1) {
        status = undefined;
        ipc.on(IPC_CHANNELS.event, deliver);
        ipc.on(IPC_CHANNELS.status, hear);
        ipc.send(IPC_CHANNELS.subscribe);
      } else if (status) {
        subscription.onStatus?.(status);
      }
      return () => {
        if (!subscriptions.delete(subscription) || subscriptions.size > 0) return;
        ipc.removeListener(IPC_CHANNELS.event, deliver);
        ipc.removeListener(IPC_CHANNELS.status, hear);
        ipc.send(IPC_CHANNELS.unsubscribe);
      };
    },
  };
}

/** Exposes the bridge, and only the bridge, as `window.orch`. */
export function exposeBridge(contextBridge: ContextBridgeLike, ipc: IpcRendererLike): void {
  const bridge = createBridge(ipc);
  // A fresh object of exactly the two functions: nothing else can ride along.
  const exposed: OrchBridge = {
    invoke: (id, input) => bridge.invoke(id, input),
    subscribe: (listener, onStatus) => bridge.subscribe(listener, onStatus),
  };
  contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, exposed);
}
