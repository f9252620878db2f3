/**
 * The bridge (`window.orch`'s shape) over a dispatcher, for one principal, in-process: how the
 * CLI's local writes reach the operations, and the e2e tests' stand-in for the desktop app's IPC
 * (which main/electron/bridge.ipc.ts serves). A typed client runs over it with `bridgeTransport`.
 */
import type { OrchBridge } from '../../../shared/api/bridge.js';
import { OrchClientError } from '../../../shared/api/client.js';
import type { Principal } from '../auth/roles.js';
import type { Dispatcher } from './dispatcher.js';

export function dispatcherBridge(dispatcher: Dispatcher, principal: Principal): OrchBridge {
  return {
    invoke: (id, input) => dispatcher.dispatch(id, input, principal),
    subscribe(listener, onStatus) {
      const subscription = dispatcher.subscribe(principal, listener);
      if (!subscription.ok) throw new OrchClientError(subscription.error);
      // In-process: events flow from the moment the dispatcher took the listener.
      onStatus?.('open');
      return subscription.value;
    },
  };
}
