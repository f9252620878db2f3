/**
 * The seam between the typed client and whatever carries its calls: REST over fetch, the Electron
 * preload bridge, or an in-process dispatcher. Runtime-neutral: no node:*, no DOM.
 */
import type { Operation } from './contract.js';
import type { OrchEvent } from './events.js';
import type { Result } from './result.js';

/**
 * The state of a live event subscription, for the "starting…" and "reconnecting…" banners.
 * `starting`: the desktop app's core is still starting (only the bridge says it).
 */
export type ConnectionStatus = 'starting' | 'connecting' | 'open' | 'closed';

export interface SubscribeOptions {
  /** Told whenever the subscription connects, drops or gives up; fetch reconnects by itself. */
  onStatus?: (status: ConnectionStatus) => void;
}

export interface Transport {
  /**
   * Runs one operation with an input its schema accepted. Never rejects: a refusal, a failure or an
   * unreachable daemon is a failed `Result`. `signal` abandons the call where the carrier can.
   */
  invoke(operation: Operation, input: Record<string, unknown>, signal?: AbortSignal): Promise<Result>;
  /** Delivers every live event to `listener` until the returned function is called. */
  subscribe(listener: (event: OrchEvent) => void, options?: SubscribeOptions): () => void;
}
