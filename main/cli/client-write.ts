/**
 * `mcp-orch client-config <client> [server] --write` and `--undo`: the dashboard's one-click
 * connect from a terminal. Works on the files and the key database directly, so the daemon need
 * not run, through the same operations as the dashboard (`clients.connect`, `clients.undo`) on a
 * local dispatcher as the person at the machine: a key is made for the client, written into the
 * client's own config file (a backup kept), and `--undo` puts the file back and revokes the key;
 * both are audited under `(cli)`.
 */
import type { OutputOf } from '../../shared/api/client.js';
import type { ClientConfigServer, ClientConfigTarget, ClientKind } from '../../shared/client-config.js';
import { withLocalOperations } from '../core/shell-surface.js';
import { resolveDatabasePath } from './database-path.js';

export interface ClientWriteContext {
  config?: string | undefined;
  baseUrl: string;
  /** The servers the entries name: the enabled ones, or the one the command names. */
  servers: ClientConfigServer[];
}

async function withClients<T>(context: ClientWriteContext, action: Parameters<typeof withLocalOperations<T>>[1]): Promise<T> {
  const database = await resolveDatabasePath(context.config, process.env);
  const clients = { env: process.env, baseUrl: () => context.baseUrl, servers: () => context.servers };
  return withLocalOperations({ database, who: 'cli', clients }, action);
}

/** Connects `client`: one entry for the aggregated endpoint, or one per server of the context. */
export function writeClient(
  client: ClientKind,
  target: ClientConfigTarget,
  context: ClientWriteContext,
): Promise<OutputOf<'clients.connect'>> {
  const scope = target.kind === 'aggregate' ? 'aggregate' : 'servers';
  return withClients(context, (orch) => orch.clients.connect({ client, scope }));
}

export function undoClient(client: ClientKind, context: ClientWriteContext): Promise<OutputOf<'clients.undo'>> {
  return withClients(context, (orch) => orch.clients.undo({ client }));
}
