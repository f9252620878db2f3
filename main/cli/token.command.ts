/**
 * `mcp-orch token create|list|revoke|rotate`: manages API keys in the store's database, so it works
 * whether or not the daemon runs (a running daemon sees changes at the next request). Every call
 * goes through the operations layer as the person at the machine, so it is checked and audited
 * exactly like the same call over REST. A new secret is printed once, alone on stdout
 * (`TOKEN=$(mcp-orch token create …)` works); what goes with it goes to stderr.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { OrchClientError, type OrchClient, type OutputOf } from '../../shared/api/client.js';
import { errorBody, type ErrorCode } from '../../shared/errors.js';
import { formatDuration, parseDuration } from '../../shared/duration.js';
import { ConfigError, ROLES, withLocalOperations, type Role } from '../core/shell-surface.js';
import { resolveDatabasePath } from './database-path.js';

type KeyInfo = OutputOf<'tokens.list'>['tokens'][number];

interface CommonOptions {
  config?: string;
  json?: boolean;
}

interface CreateOptions extends CommonOptions {
  name: string;
  role: Role;
  expires?: number;
  allow: string[];
  deny: string[];
  rateLimit?: number;
}

interface RotateCommandOptions extends CommonOptions {
  grace: number;
  expires?: number;
}

const SHOWN_ONCE =
  "This is the only time the token is shown: store it now (e.g. in the client's config). MCP Orch keeps only a hash.\n" +
  'Clients send it as `Authorization: Bearer <token>`.';

function duration(value: string): number {
  try {
    return parseDuration(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number (0 for no limit)');
  return n;
}

/** Collects a repeatable option; each value may hold several comma-separated patterns. */
function patterns(value: string, previous: string[]): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
  ];
}

/** Runs `action` with a client of the key operations on the store's database, as the person at the machine (audited). */
async function withClient<T>(options: CommonOptions, action: (client: OrchClient) => Promise<T>): Promise<T> {
  return withLocalOperations({ database: await resolveDatabasePath(options.config, process.env), who: 'cli' }, action);
}

function when(time: number | undefined): string {
  return time === undefined ? '-' : `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')}Z`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function permissionsOf(key: KeyInfo): string {
  const parts = [...key.allow.map((p) => `+${p}`), ...key.deny.map((p) => `-${p}`)];
  return parts.length ? parts.join(' ') : 'all tools';
}

/** The `token list` table. */
export function tokenTable(keys: readonly KeyInfo[]): string {
  if (keys.length === 0) return 'No keys. Create one with `mcp-orch token create --name <client> --role operator`.';
  const rows = [['NAME', 'ID', 'TOKEN', 'ROLE', 'STATUS', 'EXPIRES', 'LAST USED', 'USES', 'RATE/MIN', 'TOOLS']];
  for (const key of keys) {
    const status = key.status === 'rotating' ? `rotating until ${when(key.graceUntil)}` : key.status;
    rows.push([
      key.name,
      key.id,
      `${key.prefix}…`,
      key.role,
      status,
      when(key.expiresAt),
      when(key.lastUsedAt),
      String(key.usageCount),
      String(key.rateLimitPerMinute ?? '-'),
      permissionsOf(key),
    ]);
  }
  return table(rows);
}

function report(error: unknown, json: boolean): void {
  let code: ErrorCode = 'internal';
  let exitCode = 1;
  if (error instanceof OrchClientError) [code, exitCode] = [error.code, error.code === 'bad_request' ? 2 : 1];
  else if (error instanceof ConfigError) [code, exitCode] = ['invalid_config', 2];
  const message = (error as Error).message;
  if (json) console.log(JSON.stringify(errorBody(code, message)));
  else console.error(`mcp-orch token: ${message}`);
  process.exitCode = exitCode;
}

/** Runs `action`, printing its failure the way the command's options ask. */
async function run(options: CommonOptions, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    report(error, options.json ?? false);
  }
}

function withCommon(command: Command): Command {
  return command
    .option('-c, --config <path>', 'config file whose orch.database to use (default: $MCP_ORCH_CONFIG or the app-data mcp-config.json)')
    .option('--json', 'print JSON');
}

export function tokenCommand(): Command {
  const token = new Command('token').description('manage API keys: the bearer tokens clients send to MCP Orch');

  withCommon(token.command('create').description('create a key and print its token (shown once)'))
    .requiredOption('-n, --name <name>', 'who the key is for, e.g. cline (unique among live keys)')
    .addOption(
      new Option('-r, --role <role>', 'admin: everything; operator: run tools and batches, start/stop servers; viewer: read-only')
        .choices(ROLES)
        .makeOptionMandatory(),
    )
    .option('-e, --expires <duration>', 'lifetime, e.g. 90m, 12h, 30d (default: never)', duration)
    .option('--allow <pattern>', 'tools the key may call, `<server>__<tool>` globs, e.g. github__* (repeatable)', patterns, [])
    .option('--deny <pattern>', 'tools the key may not call; wins over --allow (repeatable)', patterns, [])
    .option('--rate-limit <n>', 'requests per minute (default 600; 0: no limit)', wholeNumber)
    .action((options: CreateOptions) =>
      run(options, async () => {
        const created = await withClient(options, (client) =>
          client.tokens.create({
            name: options.name,
            role: options.role,
            expiresInMs: options.expires,
            allow: options.allow,
            deny: options.deny,
            rateLimitPerMinute: options.rateLimit,
          }),
        );
        const key = created.token;
        console.error(
          `Created key "${key.name}" (${key.role}, ${key.id}${key.expiresAt ? `, expires ${when(key.expiresAt)}` : ''}).\n${SHOWN_ONCE}`,
        );
        console.log(options.json ? JSON.stringify({ token: created.secret, key }, null, 2) : created.secret);
      }),
    );

  withCommon(token.command('list').description('list keys (never their tokens)'))
    .option('-a, --all', 'include revoked, expired and rotated keys')
    .action((options: CommonOptions & { all?: boolean }) =>
      run(options, async () => {
        const { tokens: keys } = await withClient(options, (client) => client.tokens.list({ all: options.all }));
        console.log(options.json ? JSON.stringify(keys, null, 2) : tokenTable(keys));
      }),
    );

  withCommon(token.command('revoke').description('revoke a key at once, with any predecessor still in its grace period'))
    .argument('<key>', 'key id, or the name of a live key')
    .action((key: string, options: CommonOptions) =>
      run(options, async () => {
        const result = await withClient(options, (client) => client.tokens.revoke({ id: key }));
        if (options.json) console.log(JSON.stringify({ key: result.token, revokedIds: result.revoked }, null, 2));
        else if (result.revoked.length === 0)
          console.log(`The key "${result.token.name}" (${result.token.id}) was already ${result.token.status}.`);
        else console.log(`Revoked ${result.revoked.map((id) => `"${result.token.name}" (${id})`).join(', ')}.`);
      }),
    );

  withCommon(token.command('rotate').description('replace a key by a new token; the old one keeps working for the grace period'))
    .argument('<key>', 'key id, or the name of a live key')
    .option('-g, --grace <duration>', 'how long the old token keeps working, e.g. 0, 90m, 1d (default 1h)', duration, parseDuration('1h'))
    .option('-e, --expires <duration>', "the new key's lifetime from now (default: the old key's expiry)", duration)
    .action((key: string, options: RotateCommandOptions) =>
      run(options, async () => {
        const rotated: OutputOf<'tokens.rotate'> = await withClient(options, (client) =>
          client.tokens.rotate({ id: key, graceMs: options.grace, expiresInMs: options.expires }),
        );
        const grace =
          options.grace === 0
            ? 'the old token stops working now'
            : `the old token keeps working until ${when(rotated.previous.graceUntil)} (${formatDuration(options.grace)})`;
        console.error(`Rotated "${rotated.token.name}": new key ${rotated.token.id}; ${grace}.\n${SHOWN_ONCE}`);
        console.log(
          options.json
            ? JSON.stringify({ token: rotated.secret, key: rotated.token, previous: rotated.previous }, null, 2)
            : rotated.secret,
        );
      }),
    );

  return token;
}
