/** `clients.*`: connect an MCP client by writing its own config file, and undo it. */
import { homedir } from 'node:os';
import type { ClientConfigServer, ClientConfigTarget } from '../../../shared/client-config.js';
import { TokenError } from '../auth/token-service.js';
import { ClientConnectError, ClientConnector } from '../clients/client-connector.js';
import { machinePaths } from '../clients/client-files.js';
import { appPaths } from '../config/app-paths.js';
import type { OperationDeps, Handlers } from './deps.js';
import { OperationError } from './operation-error.js';
import { keyView } from './tokens.handlers.js';

type Deps = Pick<OperationDeps, 'env' | 'tokens' | 'baseUrl'> & {
  /** The servers a snippet names: the daemon's enabled ones, or those the CLI read from the config file. */
  servers(): ClientConfigServer[];
};

/** The enabled servers of the configuration in force, as the snippets name them. */
export function enabledServers(hotReload: OperationDeps['hotReload']): () => ClientConfigServer[] {
  return () =>
    hotReload.config.servers
      .filter((server) => !server.disabled)
      .map((server) => ({ name: server.name, autoApprove: server.autoApprove, timeoutSeconds: server.timeoutMs / 1000 }));
}

/** The connector over these keys and servers and this machine's client files. */
function clientConnector(deps: Deps) {
  return new ClientConnector({
    paths: machinePaths(deps.env, process.platform, homedir()),
    dataDir: appPaths(deps.env).dataDir,
    baseUrl: () => deps.baseUrl(),
    servers: () => deps.servers(),
    createKey: (client) => {
      // One key per client, named after it; a second connect while the first key lives gets `-2`…
      for (let attempt = 1; attempt <= 100; attempt++) {
        const name = attempt === 1 ? client : `${client}-${attempt}`;
        try {
          const created = deps.tokens.createToken({ name, role: 'operator' });
          return { id: created.record.id, name, secret: created.token, info: keyView(created.record) };
        } catch (error) {
          if (!(error instanceof TokenError) || error.code !== 'conflict') throw error;
        }
      }
      throw new OperationError('conflict', `too many live keys named after ${client}: revoke some`);
    },
    revokeKey: (id) => deps.tokens.revoke(id).revokedIds,
  });
}

/** Runs a connector call, turning its refusals into API errors. */
export async function connectorCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ClientConnectError) throw new OperationError(error.code, error.message, error.details);
    throw error;
  }
}

const targetOf = (scope: 'aggregate' | 'servers'): ClientConfigTarget => (scope === 'aggregate' ? { kind: 'aggregate' } : { kind: 'all' });

export function clientHandlers(deps: Deps): Handlers<'clients.list' | 'clients.preview' | 'clients.connect' | 'clients.undo'> {
  const connector = clientConnector(deps);
  return {
    'clients.list': async () => ({ clients: await connector.list() }),
    'clients.preview': ({ client, scope }) => connectorCall(() => connector.preview(client, targetOf(scope))),
    'clients.connect': async ({ client, scope }, call) => {
      const result = await connectorCall(() => connector.connect(client, targetOf(scope)));
      call.audit.details = { path: result.path, key: result.key.name, entries: result.entries };
      return result;
    },
    'clients.undo': async ({ client }, call) => {
      const result = await connectorCall(() => connector.undo(client));
      call.audit.details = { path: result.path, restored: result.restored };
      return result;
    },
  };
}
