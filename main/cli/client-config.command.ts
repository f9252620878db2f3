/**
 * `mcp-orch client-config <client> [server]`: prints the snippet that connects an MCP client to
 * MCP Orch. Reads the config file only; never contacts the daemon, so it works whether or not the
 * daemon runs.
 */
import { Command, InvalidArgumentError } from 'commander';
import { existsSync } from 'node:fs';
import { ConfigError, configPathFrom, loadConfigFile, type ResolvedConfig } from '../core/shell-surface.js';
import {
  CLIENT_KINDS,
  ClientConfigError,
  generateClientConfig,
  isClientKind,
  orchBaseUrl,
  type ClientConfig,
  type ClientConfigTarget,
} from '../../shared/client-config.js';
import { OrchClientError } from '../../shared/api/client.js';
import { errorBody, type ErrorCode } from '../../shared/errors.js';
import { undoClient, writeClient } from './client-write.js';

export interface ClientConfigCommandOptions {
  aggregate?: boolean;
  sse?: boolean;
  token?: string;
  config?: string;
  port?: number;
  host?: string;
  json?: boolean;
  write?: boolean;
  undo?: boolean;
}

class UsageError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

function portNumber(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new InvalidArgumentError('expected a port number from 1 to 65535');
  return port;
}

/**
 * The snippet needs server names, auto-approvals, timeouts and `orch`, never the servers' own
 * secrets, so an unset `${env:X}` reads as empty instead of failing: the daemon may run with an
 * environment this shell lacks. Schema errors still fail.
 */
function lenientEnv(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return new Proxy(env, { get: (target, key) => (typeof key === 'string' ? (target[key] ?? '') : undefined) });
}

async function readConfig(path: string): Promise<ResolvedConfig> {
  try {
    return await loadConfigFile(path, { env: lenientEnv(process.env) });
  } catch (error) {
    if (error instanceof ConfigError) {
      const hint = existsSync(path)
        ? ''
        : '\n(no config file yet: `mcp-orch serve` creates one with an example server; or pass --config PATH)';
      throw new UsageError('invalid_config', `${error.message}${hint}`, 2);
    }
    throw error;
  }
}

function targetOf(server: string | undefined, aggregate: boolean): ClientConfigTarget {
  if (server !== undefined && aggregate) throw new UsageError('bad_request', 'give a server name or --aggregate, not both');
  if (aggregate) return { kind: 'aggregate' };
  return server === undefined ? { kind: 'all' } : { kind: 'server', name: server };
}

export interface ClientConfigOutcome {
  snippet: ClientConfig;
  /** Things the user should know, for stderr: stdout stays pasteable. */
  notes: string[];
}

export async function clientConfig(
  client: string,
  server: string | undefined,
  options: ClientConfigCommandOptions,
): Promise<ClientConfigOutcome> {
  if (!isClientKind(client)) {
    throw new UsageError('bad_request', `unknown client "${client}"; expected one of: ${CLIENT_KINDS.join(', ')}`);
  }
  const target = targetOf(server, options.aggregate ?? false);
  const config = await readConfig(configPathFrom(options.config, process.env));
  const port = options.port ?? config.orch.port;
  if (port === 0) {
    throw new UsageError('bad_request', 'the config sets orch.port 0 (any free port): pass --port with the port the daemon listens on');
  }
  // Disabled servers are not served; name one explicitly to get its snippet anyway.
  const servers = config.servers
    .filter((entry) => target.kind === 'server' || !entry.disabled)
    .map((entry) => ({ name: entry.name, autoApprove: entry.autoApprove, timeoutSeconds: entry.timeoutMs / 1000 }));
  if (target.kind === 'all' && servers.length === 0) {
    throw new UsageError('not_found', `no enabled servers in ${config.path ?? 'the config'}: add some to "mcpServers"`);
  }
  if (target.kind === 'server' && !servers.some((entry) => entry.name === target.name)) {
    const known = servers.map((entry) => entry.name).join(', ') || '(none)';
    throw new UsageError('unknown_server', `unknown server "${target.name}"; known servers: ${known}`);
  }
  const notes = config.servers
    .filter((entry) => target.kind === 'server' && entry.name === target.name && entry.disabled)
    .map((entry) => `note: "${entry.name}" is disabled in the config; the daemon serves it once it is enabled.`);
  const snippet = generateClientConfig({
    client,
    baseUrl: orchBaseUrl(options.host ?? config.orch.host, port),
    servers,
    target,
    token: options.token ?? process.env.MCP_ORCH_TOKEN,
    transport: options.sse ? 'sse' : 'streamableHttp',
  });
  return { snippet, notes };
}

/** `--write` / `--undo`: edits the client's own file; prints the change with the key masked. */
async function writeOrUndo(client: string, server: string | undefined, options: ClientConfigCommandOptions): Promise<void> {
  if (options.write && options.undo) throw new UsageError('bad_request', 'give --write or --undo, not both', 2);
  if (options.write && options.token)
    throw new UsageError('bad_request', '--write makes a key of its own for the client: leave out --token', 2);
  if (!isClientKind(client)) throw new UsageError('bad_request', `unknown client "${client}"; expected one of: ${CLIENT_KINDS.join(', ')}`);
  const configPath = configPathFrom(options.config, process.env);
  const config = await readConfig(configPath);
  if (server !== undefined && !config.servers.some((entry) => entry.name === server)) {
    const known = config.servers.map((entry) => entry.name).join(', ') || '(none)';
    throw new UsageError('unknown_server', `unknown server "${server}"; known servers: ${known}`);
  }
  const port = options.port ?? config.orch.port;
  const context = {
    config: options.config,
    baseUrl: orchBaseUrl(options.host ?? config.orch.host, port),
    servers: config.servers
      .filter((entry) => (server !== undefined ? entry.name === server : !entry.disabled))
      .map((entry) => ({ name: entry.name, autoApprove: entry.autoApprove, timeoutSeconds: entry.timeoutMs / 1000 })),
  };
  if (options.undo) {
    const undone = await undoClient(client, context);
    if (options.json) console.log(JSON.stringify(undone, null, 2));
    else console.log(`${undone.restored === 'backup' ? 'restored' : 'removed'} ${undone.path}; revoked ${undone.revoked.length} key(s)`);
    return;
  }
  const written = await writeClient(client, targetOf(server, options.aggregate ?? false), context);
  if (options.json) {
    console.log(JSON.stringify({ ...written, key: { id: written.key.id, name: written.key.name, role: written.key.role } }, null, 2));
    return;
  }
  console.log(written.diff);
  console.error(`wrote ${written.path}${written.backupPath ? ` (backup: ${written.backupPath})` : ' (new file)'}`);
  console.error(`key "${written.key.name}" (operator) created for it; undo with: mcp-orch client-config ${client} --undo`);
}

function report(thrown: unknown, json: boolean): void {
  const error = thrown instanceof OrchClientError ? new UsageError(thrown.code, thrown.message) : thrown;
  const known = error instanceof UsageError || error instanceof ClientConfigError;
  const code: ErrorCode = known ? error.code : 'internal';
  const message = known ? error.message : `mcp-orch: ${(error as Error).message}`;
  if (json) console.log(JSON.stringify(errorBody(code, message)));
  else console.error(message.startsWith('mcp-orch') ? message : `mcp-orch client-config: ${message}`);
  process.exitCode = error instanceof UsageError ? error.exitCode : 1;
}

export function clientConfigCommand(): Command {
  return new Command('client-config')
    .description(`print the configuration that connects an MCP client (${CLIENT_KINDS.join(', ')}) to MCP Orch`)
    .argument('<client>', CLIENT_KINDS.join(' | '))
    .argument('[server]', 'one configured server (default: every enabled server)')
    .option('-a, --aggregate', 'the aggregated endpoint of all servers instead')
    .option('--sse', 'the legacy SSE endpoints instead of Streamable HTTP')
    .option('-t, --token <token>', 'bearer token to put in the snippet (default: $MCP_ORCH_TOKEN)')
    .option('-c, --config <path>', 'config file (default: $MCP_ORCH_CONFIG or the app-data mcp-config.json)')
    .option('-p, --port <number>', "the daemon's port (default: orch.port or 8000)", portNumber)
    .option('-H, --host <host>', "the daemon's address (default: orch.host or 127.0.0.1)")
    .option('--json', 'print { client, format, text, value } as JSON')
    .option('-w, --write', "make a key for the client and write the configuration into the client's own config file (a backup is kept)")
    .option('--undo', 'put back the client config file as it was before the last --write, and revoke its key')
    .action(async (client: string, server: string | undefined, options: ClientConfigCommandOptions) => {
      try {
        if (options.write || options.undo) {
          await writeOrUndo(client, server, options);
          return;
        }
        const { snippet, notes } = await clientConfig(client, server, options);
        for (const note of notes) console.error(note);
        console.log(options.json ? JSON.stringify(snippet, null, 2) : snippet.text);
      } catch (error) {
        report(error, options.json ?? false);
      }
    });
}
