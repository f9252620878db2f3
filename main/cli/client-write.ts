/**
 * `mcp-orch client-config <client> [server] --write` and `--undo`: the dashboard's one-click
 * connect from a terminal. Works on the files and the key database directly, so the daemon need
 * not run: a key is made for the client, written into the client's own config file (a backup
 * kept), and `--undo` puts the file back and revokes the key.
 */
import { homedir } from 'node:os';
import type { ClientConfigServer, ClientConfigTarget, ClientKind } from '../../shared/client-config.js';
import { TokenError, TokenService, type TokenInfo } from '../core/auth/token-service.js';
import { ClientConnector, type FileChange } from '../core/clients/client-connector.js';
import { machinePaths } from '../core/clients/client-files.js';
import { appPaths } from '../core/config/app-paths.js';
import { openDatabase } from '../core/store/database.js';
import { TokensRepository } from '../core/store/tokens.repository.js';
import { resolveDatabasePath } from './database-path.js';

export interface ClientWriteContext {
  config?: string | undefined;
  baseUrl: string;
  servers: ClientConfigServer[];
}

/** Runs `action` with a connector whose keys live in the daemon's database; closes it after. */
async function withConnector<T>(context: ClientWriteContext, action: (connector: ClientConnector<TokenInfo>) => Promise<T>): Promise<T> {
  const db = openDatabase(await resolveDatabasePath(context.config, process.env));
  const tokens = new TokensRepository(db);
  const service = new TokenService({ tokens });
  try {
    const connector = new ClientConnector<TokenInfo>({
      paths: machinePaths(process.env, process.platform, homedir()),
      dataDir: appPaths(process.env).dataDir,
      baseUrl: () => context.baseUrl,
      servers: () => context.servers,
      createKey: (client) => {
        for (let attempt = 1; attempt <= 100; attempt++) {
          const name = attempt === 1 ? client : `${client}-${attempt}`;
          try {
            const created = service.createToken({ name, role: 'operator' });
            return { id: created.record.id, name, secret: created.token, info: created.record };
          } catch (error) {
            if (!(error instanceof TokenError) || error.code !== 'conflict') throw error;
          }
        }
        throw new Error(`too many live keys named after ${client}: revoke some`);
      },
      revokeKey: (id) => service.revoke(id).revokedIds,
    });
    return await action(connector);
  } finally {
    tokens.close();
    db.close();
  }
}

export function writeClient(
  client: ClientKind,
  target: ClientConfigTarget,
  context: ClientWriteContext,
): Promise<FileChange & { key: TokenInfo; backupPath?: string }> {
  return withConnector(context, (connector) => connector.connect(client, target));
}

export function undoClient(client: ClientKind, context: ClientWriteContext) {
  return withConnector(context, (connector) => connector.undo(client));
}
