/**
 * The Electron preload bridge (`window.orch`): exactly two functions, served in the main process by
 * the operations layer as the local admin. Runtime-neutral: no node:*, no DOM, no electron.
 */
import type { Operation } from './contract.js';
import type { OrchEvent } from './events.js';
import type { OperationId } from './operations.js';
import type { Result } from './result.js';
import type { ConnectionStatus, Transport } from './transport.js';

export interface OrchBridge {
  /** Runs the operation `id` with `input` (checked again on the other side); never rejects. */
  invoke(id: OperationId, input: unknown): Promise<Result>;
  /**
   * Delivers every live event to `listener` until the returned function is called; `onStatus` hears
   * how the subscription stands, as the main process says (`starting` while the core starts).
   */
  subscribe(listener: (event: OrchEvent) => void, onStatus?: (status: ConnectionStatus) => void): () => void;
}

/** The name the preload exposes the bridge under: `window.orch`. */
export const BRIDGE_GLOBAL = 'orch';

/** A transport over the bridge: the status is the main process's word, never assumed. */
export function bridgeTransport(bridge: OrchBridge): Transport {
  return {
    invoke: (operation: Operation, input) => bridge.invoke(operation.id as OperationId, input),
    subscribe: (listener, options) => bridge.subscribe(listener, options?.onStatus),
  };
}
