/**
 * The operations without a daemon, for the CLI's offline commands (`mcp-orch token`,
 * `mcp-orch client-config --write|--undo`): open the store's database, run the key and client
 * operations through a local dispatcher as the person at the machine (`localPrincipal`), close it
 * (the audit is written). Checked and audited exactly like the same calls over REST.
 */
import { bridgeTransport } from '../../../shared/api/bridge.js';
import { createClient, type OrchClient } from '../../../shared/api/client.js';
import type { ClientConfigServer } from '../../../shared/client-config.js';
import { localPrincipal } from '../auth/roles.js';
import { TokenService } from '../auth/token-service.js';
import { Store } from '../store/store.js';
import { clientHandlers } from './clients.handlers.js';
import { createDispatcher } from './create-dispatcher.js';
import { dispatcherBridge } from './dispatcher-bridge.js';
import { tokenHandlers } from './tokens.handlers.js';

export interface LocalOperationsOptions {
  /** The SQLite file of the daemon's store. */
  database: string;
  /** Who acts, as the audit names it: `(<who>)`, e.g. `cli`. */
  who: string;
  /** For `clients.*`: the environment (app-data folder), the daemon's URL and the servers a snippet names. */
  clients?: {
    env: Record<string, string | undefined>;
    baseUrl: () => string;
    servers: () => ClientConfigServer[];
  };
}

/**
 * Runs `action` with a typed client of the local operations: the key operations (`tokens.*`,
 * `audit.list`) and, given `clients`, `clients.*`. Every other operation answers `not_implemented`.
 */
export async function withLocalOperations<T>(options: LocalOperationsOptions, action: (client: OrchClient) => Promise<T>): Promise<T> {
  const store = Store.open(options.database);
  try {
    const tokens = new TokenService({ tokens: store.tokens });
    const handlers = {
      ...tokenHandlers({ tokens, store }),
      ...(options.clients ? clientHandlers({ ...options.clients, tokens }) : {}),
    };
    const dispatcher = createDispatcher({ handlers, audit: (entry) => store.audit.record(entry) });
    return await action(createClient(bridgeTransport(dispatcherBridge(dispatcher, localPrincipal(options.who)))));
  } finally {
    store.close();
  }
}
