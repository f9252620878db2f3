/**
 * One-click client configuration (docs/specification.md §3): the exact snippet a user pastes into an MCP client to
 * reach MCP Orch's endpoints. Runtime-neutral: no node:*, no DOM; the CLI, the REST API and the
 * dashboard all call `generateClientConfig`.
 *
 * Formats, as each client documents them:
 * - Cline `cline_mcp_settings.json`: docs.cline.bot/mcp/configuring-mcp-servers
 * - Cursor `~/.cursor/mcp.json`: cursor.com/docs/mcp
 * - VS Code `.vscode/mcp.json`: code.visualstudio.com/docs/copilot/reference/mcp-configuration
 * - Claude Code `claude mcp add`: code.claude.com/docs/en/mcp
 * - Windsurf `~/.codeium/windsurf/mcp_config.json`: docs.windsurf.com/windsurf/cascade/mcp
 * - Claude Desktop `claude_desktop_config.json` (stdio only) through mcp-remote: github.com/geelen/mcp-remote
 */
import type { ErrorCode } from './errors.js';

export const CLIENT_KINDS = ['cline', 'cursor', 'vscode', 'claude-code', 'windsurf', 'claude-desktop'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

/** The client's name as people know it. */
export const CLIENT_LABELS: Record<ClientKind, string> = {
  cline: 'Cline',
  cursor: 'Cursor',
  vscode: 'VS Code',
  'claude-code': 'Claude Code',
  windsurf: 'Windsurf',
  'claude-desktop': 'Claude Desktop',
};

export type ClientTransport = 'streamableHttp' | 'sse';

/** The name the aggregated endpoint gets in a client's configuration. */
export const AGGREGATE_NAME = 'mcp-orch';

/** Environment variable Claude Desktop's entry passes the `Authorization` value through. */
export const CLAUDE_DESKTOP_AUTH_ENV = 'MCP_ORCH_AUTH';

/** A configured server, as far as a client configuration needs it. */
export interface ClientConfigServer {
  name: string;
  autoApprove?: string[] | undefined;
  timeoutSeconds?: number | undefined;
}

export type ClientConfigTarget = { kind: 'server'; name: string } | { kind: 'all' } | { kind: 'aggregate' };

export interface ClientConfigOptions {
  client: ClientKind;
  /** `http://host:port` of the daemon, no trailing path. */
  baseUrl: string;
  servers: readonly ClientConfigServer[];
  target: ClientConfigTarget;
  /** Bearer token; when absent the snippet carries no auth header. */
  token?: string | undefined;
  /** Default `streamableHttp`. */
  transport?: ClientTransport | undefined;
}

export interface ClientConfig {
  client: ClientKind;
  format: 'json' | 'shell';
  /** What the user pastes: pretty JSON, or one shell command per line. */
  text: string;
  /** The JSON object, or for `shell` the argv of each command. */
  value?: unknown;
}

export class ClientConfigError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ClientConfigError';
  }
}

export function isClientKind(value: string): value is ClientKind {
  return (CLIENT_KINDS as readonly string[]).includes(value);
}

/** `http://host:port` for a daemon bound to `host`; a wildcard bind is reached over loopback. */
export function orchBaseUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' || host === '[::]' ? '::1' : host;
  const literal = reachable.includes(':') && !reachable.startsWith('[') ? `[${reachable}]` : reachable;
  return `http://${literal}:${port}`;
}

/** The endpoint URL of one server (name percent-encoded), or of the aggregate when `server` is absent. */
export function endpointUrl(baseUrl: string, transport: ClientTransport, server?: string): string {
  const root = `${baseUrl.replace(/\/+$/, '')}/${transport === 'sse' ? 'sse' : 'mcp'}`;
  return server === undefined ? root : `${root}/${encodeURIComponent(server)}`;
}

interface Entry {
  /** The key in the client's configuration: the server's own name. */
  name: string;
  url: string;
  autoApprove: string[];
  timeoutSeconds: number;
}

interface Context {
  transport: ClientTransport;
  /** `Bearer <token>`, or undefined: the one place auth enters a snippet. */
  authorization: string | undefined;
}

const DEFAULT_TIMEOUT_SECONDS = 60;

function entriesFor(options: ClientConfigOptions, transport: ClientTransport): Entry[] {
  const { target, servers, baseUrl } = options;
  const entry = (server: ClientConfigServer): Entry => ({
    name: server.name,
    url: endpointUrl(baseUrl, transport, server.name),
    autoApprove: server.autoApprove ?? [],
    timeoutSeconds: server.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
  });
  if (target.kind === 'aggregate') {
    // Aggregated tools are namespaced, so per-server auto-approvals do not carry over; a call may
    // reach any server, so it gets the longest timeout.
    const timeouts = servers.map((server) => server.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS);
    return [
      {
        name: AGGREGATE_NAME,
        url: endpointUrl(baseUrl, transport),
        autoApprove: [],
        timeoutSeconds: Math.max(DEFAULT_TIMEOUT_SECONDS, ...timeouts),
      },
    ];
  }
  if (target.kind === 'all') return servers.map(entry);
  const server = servers.find((candidate) => candidate.name === target.name);
  if (!server) {
    const known = servers.map((candidate) => candidate.name).join(', ') || '(none)';
    throw new ClientConfigError('unknown_server', `unknown server "${target.name}"; known servers: ${known}`);
  }
  return [entry(server)];
}

function headers(context: Context): { headers?: Record<string, string> } {
  return context.authorization === undefined ? {} : { headers: { Authorization: context.authorization } };
}

function cline(entry: Entry, context: Context): object {
  return {
    type: context.transport,
    url: entry.url,
    ...headers(context),
    autoApprove: entry.autoApprove,
    // Cline accepts whole seconds, at least 1.
    timeout: Math.max(1, Math.ceil(entry.timeoutSeconds)),
    disabled: false,
  };
}

function cursor(entry: Entry, context: Context): object {
  return { url: entry.url, ...headers(context) };
}

function vscode(entry: Entry, context: Context): object {
  return { type: context.transport === 'sse' ? 'sse' : 'http', url: entry.url, ...headers(context) };
}

function windsurf(entry: Entry, context: Context): object {
  return { serverUrl: entry.url, ...headers(context) };
}

function claudeDesktop(entry: Entry, context: Context): object {
  const url = new URL(entry.url);
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  const args = ['-y', 'mcp-remote', entry.url];
  // mcp-remote reads `${VAR}` in a header from its environment; no spaces in args (its README).
  if (context.authorization !== undefined) args.push('--header', `Authorization:\${${CLAUDE_DESKTOP_AUTH_ENV}}`);
  // Its default tries Streamable HTTP first and falls back only on 404: name SSE outright.
  if (context.transport === 'sse') args.push('--transport', 'sse-only');
  // It refuses plain http:// except for localhost and 127.0.0.1.
  if (url.protocol === 'http:' && !loopback) args.push('--allow-http');
  return {
    command: 'npx',
    args,
    ...(context.authorization === undefined ? {} : { env: { [CLAUDE_DESKTOP_AUTH_ENV]: context.authorization } }),
  };
}

/** Claude Code accepts server names of letters, digits, `-` and `_` only. */
function claudeCodeName(name: string, taken: Set<string>): string {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'server';
  let candidate = base;
  for (let suffix = 2; taken.has(candidate); suffix++) candidate = `${base}-${suffix}`;
  taken.add(candidate);
  return candidate;
}

/** Quotes one word for POSIX shells (and zsh, where `[`, `?` and `*` glob). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_\-.,:/@%+]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function claudeCodeArgv(entries: Entry[], context: Context): string[][] {
  const taken = new Set<string>();
  return entries.map((entry) => {
    // `--header` is variadic, so it follows the positionals or it would swallow them.
    const argv = [
      'claude',
      'mcp',
      'add',
      '--transport',
      context.transport === 'sse' ? 'sse' : 'http',
      claudeCodeName(entry.name, taken),
      entry.url,
    ];
    if (context.authorization !== undefined) argv.push('--header', `Authorization: ${context.authorization}`);
    return argv;
  });
}

const JSON_CLIENTS = {
  cline: { root: 'mcpServers', entry: cline },
  cursor: { root: 'mcpServers', entry: cursor },
  vscode: { root: 'servers', entry: vscode },
  windsurf: { root: 'mcpServers', entry: windsurf },
  'claude-desktop': { root: 'mcpServers', entry: claudeDesktop },
} as const satisfies Record<Exclude<ClientKind, 'claude-code'>, { root: string; entry: (entry: Entry, context: Context) => object }>;

/** The snippet for `client`. Throws `ClientConfigError` for an unknown client or server. */
export function generateClientConfig(options: ClientConfigOptions): ClientConfig {
  const { client } = options;
  if (!isClientKind(client)) {
    throw new ClientConfigError('bad_request', `unknown client "${String(client)}"; expected one of: ${CLIENT_KINDS.join(', ')}`);
  }
  const transport = options.transport ?? 'streamableHttp';
  const context: Context = { transport, authorization: options.token ? `Bearer ${options.token}` : undefined };
  const entries = entriesFor(options, transport);

  if (client === 'claude-code') {
    const argv = claudeCodeArgv(entries, context);
    return { client, format: 'shell', text: argv.map((words) => words.map(shellQuote).join(' ')).join('\n'), value: argv };
  }
  const { root, entry } = JSON_CLIENTS[client];
  // fromEntries defines own keys, so any server name (even `__proto__`) stays a plain key.
  const value = { [root]: Object.fromEntries(entries.map((item) => [item.name, entry(item, context)])) };
  return { client, format: 'json', text: JSON.stringify(value, null, 2), value };
}

/** Where a client's config file keeps its servers, and the entries to write there. */
export interface ClientFileEntries {
  /** The key of the servers object: `mcpServers`, or `servers` for VS Code. */
  root: string;
  entries: Record<string, object>;
}

/**
 * The entries to merge into a client's own config file, keyed by name. Claude Code keeps user-scope
 * servers in `~/.claude.json` as `{ type, url, headers }`, the shape `claude mcp add` writes.
 * Throws `ClientConfigError` as `generateClientConfig` does.
 */
export function clientFileEntries(options: ClientConfigOptions): ClientFileEntries {
  const transport = options.transport ?? 'streamableHttp';
  const context: Context = { transport, authorization: options.token ? `Bearer ${options.token}` : undefined };
  const entries = entriesFor(options, transport);
  if (options.client === 'claude-code') {
    const taken = new Set<string>();
    const type = transport === 'sse' ? 'sse' : 'http';
    return {
      root: 'mcpServers',
      entries: Object.fromEntries(entries.map((item) => [claudeCodeName(item.name, taken), { type, url: item.url, ...headers(context) }])),
    };
  }
  const { root, entry } = JSON_CLIENTS[options.client];
  return { root, entries: Object.fromEntries(entries.map((item) => [item.name, entry(item, context)])) };
}
