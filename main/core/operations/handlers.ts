/** Every handler of the contract, one per operation but the event stream (the compiler checks none is missing). */
import { callHandlers } from './calls.handlers.js';
import { clientHandlers, enabledServers } from './clients.handlers.js';
import { ConfigEditor } from './config-editor.js';
import { configHandlers } from './config.handlers.js';
import type { Handlers, OperationDeps } from './deps.js';
import { importHandlers } from './import.handlers.js';
import { metaHandlers } from './meta.handlers.js';
import { metricsHandlers } from './metrics.handlers.js';
import { runHandlers } from './runs.handlers.js';
import { secretHandlers } from './secrets.handlers.js';
import { serverHandlers } from './servers.handlers.js';
import { tokenHandlers } from './tokens.handlers.js';
import { toolHandlers } from './tools.handlers.js';

export function createHandlers(deps: OperationDeps): Handlers {
  const editor = new ConfigEditor(deps);
  return {
    ...serverHandlers(deps, editor),
    ...toolHandlers(deps, editor),
    ...configHandlers(deps, editor),
    ...runHandlers(deps),
    ...callHandlers(deps),
    ...tokenHandlers(deps),
    ...metaHandlers(deps),
    ...secretHandlers(deps),
    ...metricsHandlers(deps),
    ...clientHandlers({ ...deps, servers: enabledServers(deps.hotReload) }),
    ...importHandlers(deps, editor),
  };
}
