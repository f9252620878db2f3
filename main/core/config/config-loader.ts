/**
 * Reads `mcp-config.json` (JSONC tolerated: comments, trailing commas), validates it with the zod
 * schema of `shared/config.ts`, interpolates `${env:X}` and `${secret:X}`, and resolves every server
 * into the shape the supervisor runs. Every problem names its JSON path.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import {
  DEFAULTS,
  configFileSchema,
  transportOf,
  type ConfigFile,
  type PlannerConfig,
  type ServerConfig,
  type TransportKind,
} from '../../../shared/config.js';
import { formatJsonPath } from '../../../shared/json-path.js';
import { environmentSecrets } from '../secrets/environment-secrets.js';
import type { SecretReader } from '../secrets/secret-provider.js';
import { interpolateDeep, type InterpolationIssue, type InterpolationSources } from './interpolate.js';

/** A remote server's sign-in settings, resolved (the client secret read from its reference). */
export interface ResolvedOAuth {
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  tokenEndpointAuthMethod?: 'none' | 'client_secret_basic' | 'client_secret_post' | undefined;
  scopes?: string[] | undefined;
  clientMetadataUrl?: string | undefined;
}

export interface ResolvedServer {
  name: string;
  transport: TransportKind;
  command?: string | undefined;
  args: string[];
  /** Only the variables the config sets; the supervisor adds the safe defaults and PATH. */
  env: Record<string, string>;
  cwd?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string>;
  timeoutMs: number;
  autoApprove: string[];
  disabled: boolean;
  sessionMode: 'shared' | 'per-session';
  /** The MCP generation to speak to it (see `protocol` in shared/config.ts), resolved. */
  protocol: 'auto' | '2025' | '2026-07-28';
  /** Sign-in settings of a remote server (its client secret resolved); undefined: stdio, or `oauth: false`. */
  oauth?: ResolvedOAuth | undefined;
}

export interface ResolvedOrch {
  port: number;
  host: string;
  mode: 'proxy' | 'batch';
  namespaceSeparator: string;
  sessionIdleMs: number;
  allowedOrigins: string[];
  allowedHosts: string[];
  disabledTools: Record<string, string[]>;
  database?: string | undefined;
  retention: { days: number; maxCalls: number };
  batch: { approveAll: boolean; maxResultChars: number; perServerConcurrency?: number | undefined };
  /** The planner as configured, credential references unresolved (they resolve when a plan is made). */
  planner?: PlannerConfig | undefined;
}

export interface ResolvedConfig {
  /** Absolute path of the file, when it came from one. */
  path?: string | undefined;
  /** The file as parsed and validated, unknown fields kept. */
  file: ConfigFile;
  servers: ResolvedServer[];
  orch: ResolvedOrch;
}

export interface ConfigIssue {
  /** JSON path such as `mcpServers.github.env.TOKEN`, or `(file)` for syntax errors. */
  path: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(
    readonly issues: ConfigIssue[],
    readonly source?: string,
  ) {
    super(`${source ? `${source}: ` : ''}invalid configuration:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadOptions {
  env?: Record<string, string | undefined>;
  /** Where `${secret:X}` is looked up; default `MCP_ORCH_SECRET_X` in `env`. */
  secrets?: SecretReader;
  home?: string;
  /** Shown in error messages. */
  source?: string;
}

export { formatJsonPath };

function zodIssues(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => ({ path: formatJsonPath(issue.path), message: issue.message }));
}

function syntaxIssues(text: string, errors: ParseError[]): ConfigIssue[] {
  return errors.map((error) => {
    const before = text.slice(0, error.offset);
    const line = before.split('\n').length;
    const column = error.offset - before.lastIndexOf('\n');
    return { path: '(file)', message: `${printParseErrorCode(error.error)} at line ${line}, column ${column}` };
  });
}

function expandHome(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/') || path.startsWith('~\\')) return resolvePath(home, path.slice(2));
  return path;
}

function resolveServer(
  name: string,
  server: ServerConfig,
  sources: InterpolationSources,
  home: string,
  issues: InterpolationIssue[],
): ResolvedServer {
  const at = (key: string): (string | number)[] => ['mcpServers', name, key];
  const cwd = server.cwd ? interpolateDeep(server.cwd, sources, at('cwd'), issues) : undefined;
  return {
    name,
    transport: transportOf(server),
    command: server.command ? interpolateDeep(server.command, sources, at('command'), issues) : undefined,
    args: interpolateDeep(server.args ?? [], sources, at('args'), issues),
    env: interpolateDeep(server.env ?? {}, sources, at('env'), issues),
    cwd: cwd ? expandHome(cwd, home) : undefined,
    url: server.url ? interpolateDeep(server.url, sources, at('url'), issues) : undefined,
    headers: interpolateDeep(server.headers ?? {}, sources, at('headers'), issues),
    timeoutMs: (server.timeout ?? DEFAULTS.timeoutSeconds) * 1000,
    autoApprove: server.autoApprove ?? [],
    disabled: server.disabled ?? false,
    sessionMode: server.sessionMode ?? 'shared',
    protocol: server.protocol ?? (transportOf(server) === 'streamableHttp' ? 'auto' : '2025'),
    oauth: resolveOAuth(server, sources, at('oauth'), issues),
  };
}

/** A remote server's sign-in settings: on unless `oauth: false`, the client secret read from its reference. */
function resolveOAuth(
  server: ServerConfig,
  sources: InterpolationSources,
  at: (string | number)[],
  issues: InterpolationIssue[],
): ResolvedOAuth | undefined {
  if (transportOf(server) === 'stdio' || server.oauth === false) return undefined;
  const { clientId, clientSecret, tokenEndpointAuthMethod, scopes, clientMetadataUrl } = server.oauth ?? {};
  return {
    clientId,
    clientSecret: clientSecret ? interpolateDeep(clientSecret, sources, [...at, 'clientSecret'], issues) : undefined,
    tokenEndpointAuthMethod,
    scopes,
    clientMetadataUrl,
  };
}

function resolveOrch(file: ConfigFile): ResolvedOrch {
  const orch = file.orch ?? {};
  return {
    port: orch.port ?? DEFAULTS.port,
    host: orch.host ?? DEFAULTS.host,
    mode: orch.mode ?? DEFAULTS.mode,
    namespaceSeparator: orch.namespaceSeparator ?? DEFAULTS.namespaceSeparator,
    sessionIdleMs: (orch.sessionIdleMinutes ?? DEFAULTS.sessionIdleMinutes) * 60_000,
    allowedOrigins: orch.allowedOrigins ?? [],
    allowedHosts: orch.allowedHosts ?? [],
    disabledTools: orch.disabledTools ?? {},
    database: orch.database,
    retention: { days: orch.retention?.days ?? 30, maxCalls: orch.retention?.maxCalls ?? 100_000 },
    batch: {
      approveAll: orch.batch?.approveAll ?? false,
      maxResultChars: orch.batch?.maxResultChars ?? DEFAULTS.batchMaxResultChars,
      perServerConcurrency: orch.batch?.perServerConcurrency,
    },
    ...(orch.planner ? { planner: orch.planner } : {}),
  };
}

/** Parses and resolves configuration text. Throws `ConfigError` listing every problem. */
export function parseConfig(text: string, options: LoadOptions = {}): ResolvedConfig {
  const env = options.env ?? process.env;
  const sources: InterpolationSources = { env, secrets: options.secrets ?? environmentSecrets(env) };
  const home = options.home ?? homedir();
  const errors: ParseError[] = [];
  const raw: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) throw new ConfigError(syntaxIssues(text, errors), options.source);
  if (raw === undefined) throw new ConfigError([{ path: '(file)', message: 'the file is empty' }], options.source);

  const parsed = configFileSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(zodIssues(parsed.error), options.source);

  const issues: InterpolationIssue[] = [];
  const servers = Object.entries(parsed.data.mcpServers).map(([name, server]) => resolveServer(name, server, sources, home, issues));
  if (issues.length > 0) {
    throw new ConfigError(
      issues.map((issue) => ({ path: formatJsonPath(issue.path), message: issue.message })),
      options.source,
    );
  }
  // A server without a Client ID Metadata Document URL of its own uses the default one.
  const metadataUrl = parsed.data.orch?.oauth?.clientMetadataUrl;
  if (metadataUrl) for (const server of servers) if (server.oauth) server.oauth.clientMetadataUrl ??= metadataUrl;
  return { file: parsed.data, servers, orch: resolveOrch(parsed.data) };
}

/** Reads, parses and resolves the file at `path`. Throws `ConfigError` (also for an unreadable file). */
export async function loadConfigFile(path: string, options: LoadOptions = {}): Promise<ResolvedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError([{ path: '(file)', message: `cannot read ${path}: ${(error as Error).message}` }], path);
  }
  return { ...parseConfig(text, { ...options, source: options.source ?? path }), path };
}
