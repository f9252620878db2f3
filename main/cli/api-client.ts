/**
 * The CLI's side of the typed API client: finds the daemon (`--url`, else the config's
 * orch.host/orch.port) and a credential (`--token`, `MCP_ORCH_TOKEN`, or the daemon's session-token
 * file), checks the input against the operation's schema, calls it over REST with the shared
 * client, and turns every failure into a `CliError` with a message that says what to do and the
 * CLI's exit code.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseJsonc } from 'jsonc-parser';
import type { z } from 'zod';
import { createClient, type CallableId, type OrchClient } from '../../shared/api/client.js';
import { formatIssuePath, type Operation } from '../../shared/api/contract.js';
import { UNREACHABLE, fetchTransport } from '../../shared/api/fetch-transport.js';
import type { OperationFailure } from '../../shared/api/result.js';
import { orchBaseUrl } from '../../shared/client-config.js';
import { DEFAULTS } from '../../shared/config.js';
import { errorBody, type ErrorCode } from '../../shared/errors.js';
import { readSessionToken, appPaths, configPathFrom } from '../core/shell-surface.js';

/** Options every command that talks to the daemon takes. */
export interface ApiOptions {
  url?: string;
  token?: string;
  config?: string;
  json?: boolean;
}

/** Exit codes: 1 the daemon refused or failed, 2 bad usage, 3 no daemon answering. */
export const EXIT = { failed: 1, usage: 2, unreachable: 3 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
    readonly exitCode: number = EXIT.failed,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface Connection {
  baseUrl: string;
  token: string | undefined;
  /** The typed client of the daemon's operations, over REST. */
  client: OrchClient;
}

/** Where the daemon listens, per `--url` or the config file; the defaults when the file says nothing. */
async function defaultUrl(option: string | undefined, env: Record<string, string | undefined>): Promise<string> {
  let host: string = DEFAULTS.host;
  let port: number = DEFAULTS.port;
  try {
    const file = parseJsonc(await readFile(configPathFrom(option, env), 'utf8')) as
      { orch?: { host?: unknown; port?: unknown } } | undefined;
    if (typeof file?.orch?.host === 'string') host = file.orch.host;
    if (typeof file?.orch?.port === 'number' && file.orch.port > 0) port = file.orch.port;
  } catch {
    // No readable config: the daemon's defaults.
  }
  return orchBaseUrl(host, port);
}

export async function connect(options: ApiOptions, env: Record<string, string | undefined> = process.env): Promise<Connection> {
  const baseUrl = (options.url ?? (await defaultUrl(options.config, env))).replace(/\/+$/, '');
  try {
    new URL(baseUrl);
  } catch {
    throw new CliError(`--url ${baseUrl} is not a URL: expected e.g. http://127.0.0.1:8000`, 'bad_request', EXIT.usage);
  }
  const token = options.token ?? (env.MCP_ORCH_TOKEN?.trim() || undefined) ?? readSessionToken(appPaths(env).dataDir);
  return { baseUrl, token, client: createClient(fetchTransport({ baseUrl, token })) };
}

/** Calls one operation; resolves with its output, or throws `CliError`. `signal` abandons the call. */
export async function callApi<Op extends Operation>(
  connection: Connection,
  operation: Op,
  input: z.input<Op['input']>,
  signal?: AbortSignal,
): Promise<z.output<Op['output']>> {
  const parsed = operation.input.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`).join('; ');
    throw new CliError(`invalid input: ${problems}`, 'bad_request', EXIT.usage);
  }
  const result = await connection.client.call(operation.id as CallableId, parsed.data, signal ? { signal } : undefined);
  if (result.ok) return result.value as z.output<Op['output']>;
  throw cliError(result.error, connection);
}

/** A failed call as the CLI says it: what to do when nothing answers or no token was found. */
function cliError(failure: OperationFailure, connection: Connection): CliError {
  if ((failure.details as { reason?: unknown } | undefined)?.reason === UNREACHABLE) {
    return new CliError(
      `${failure.message}: start it with \`mcp-orch serve\`, or pass --url with the address it listens on`,
      'server_unavailable',
      EXIT.unreachable,
    );
  }
  const hint =
    failure.code === 'unauthorized' && !connection.token
      ? ' (no token found: pass --token, set MCP_ORCH_TOKEN, or run the CLI as the user who started the daemon)'
      : '';
  return new CliError(`${failure.message}${hint}`, failure.code, EXIT.failed, failure.details);
}

/** Runs a command's action, printing a failure the way its options ask and setting the exit code. */
export async function runCommand(name: string, options: ApiOptions, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    const known = error instanceof CliError;
    const code: ErrorCode = known ? error.code : 'internal';
    const message = known ? error.message : (error as Error).message;
    if (options.json) console.log(JSON.stringify(errorBody(code, message, known ? error.details : undefined)));
    else console.error(`mcp-orch ${name}: ${message}`);
    process.exitCode = known ? error.exitCode : EXIT.failed;
  }
}

/** Adds `--url`, `--token`, `--config` and `--json` to a command. */
export function withApiOptions<T extends { option(flags: string, description: string): T }>(command: T): T {
  return command
    .option('-u, --url <url>', "the daemon's address (default: from the config's orch.host and orch.port, else http://127.0.0.1:8000)")
    .option('-t, --token <token>', "a key's token (default: $MCP_ORCH_TOKEN, else the running daemon's session token)")
    .option('-c, --config <path>', 'config file to read the address from (default: $MCP_ORCH_CONFIG or the app-data mcp-config.json)')
    .option('--json', 'print JSON');
}

/** Columns padded to their widest cell. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `2026-11-24 06:30:00Z`, or `-`. */
export function when(time: number | undefined): string {
  return time === undefined ? '-' : `${new Date(time).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}
