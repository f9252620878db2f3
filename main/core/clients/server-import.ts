/**
 * Import servers from the MCP clients' own config files into mcp-config.json: find them, show them
 * (values of env and headers masked), and turn chosen entries into MCP Orch server entries, with
 * name clashes found before anything is merged.
 */
import { CLIENT_KINDS, CLIENT_LABELS, type ClientKind } from '../../../shared/client-config.js';
import { transportOf, type TransportKind } from '../../../shared/config.js';
import { pointsAt } from './client-connector.js';
import { clientConfigPath, serversKey, type MachinePaths } from './client-files.js';
import { readJsonFile } from './json-file.js';

export interface ImportCandidate {
  name: string;
  transport: TransportKind;
  command?: string;
  args: string[];
  url?: string;
  envKeys: string[];
  headerKeys: string[];
  clash: boolean;
  self: boolean;
}

export interface ImportSource {
  client: ClientKind;
  label: string;
  path: string;
  servers: ImportCandidate[];
  error?: string;
}

/** A source entry as found, and what it becomes in mcp-config.json. */
export interface FoundServer {
  client: ClientKind;
  name: string;
  entry: Record<string, unknown>;
  config: Record<string, unknown>;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
const stringMap = (value: unknown): Record<string, string> | undefined => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value).filter((pair): pair is [string, string] => typeof pair[1] === 'string');
  return entries.length ? Object.fromEntries(entries) : undefined;
};

/**
 * A client's entry as an MCP Orch server entry: stdio keeps command, args, env and cwd; a remote
 * entry (`url`, or Windsurf's `serverUrl`) becomes Streamable HTTP or SSE with its headers. Cline's
 * own fields (timeout, autoApprove, disabled) carry over.
 */
export function toServerConfig(entry: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const url = typeof entry.url === 'string' ? entry.url : typeof entry.serverUrl === 'string' ? entry.serverUrl : undefined;
  if (typeof entry.command === 'string') {
    out.command = entry.command;
    const args = strings(entry.args);
    if (args.length) out.args = args;
    const env = stringMap(entry.env);
    if (env) out.env = env;
    if (typeof entry.cwd === 'string' && entry.cwd) out.cwd = entry.cwd;
  } else if (url !== undefined) {
    const type = typeof entry.type === 'string' ? entry.type : typeof entry.transportType === 'string' ? entry.transportType : undefined;
    out.transportType = type === 'sse' ? 'sse' : 'streamableHttp';
    out.url = url;
    const headers = stringMap(entry.headers);
    if (headers) out.headers = headers;
  }
  if (typeof entry.timeout === 'number' && entry.timeout > 0) out.timeout = entry.timeout;
  const autoApprove = strings(entry.autoApprove);
  if (autoApprove.length) out.autoApprove = autoApprove;
  if (entry.disabled === true) out.disabled = true;
  return out;
}

/** Every server of every client config found on this machine. */
export async function findClientServers(
  paths: MachinePaths,
): Promise<{ sources: { client: ClientKind; path: string; error?: string }[]; servers: FoundServer[] }> {
  const sources: { client: ClientKind; path: string; error?: string }[] = [];
  const servers: FoundServer[] = [];
  for (const client of CLIENT_KINDS) {
    const path = clientConfigPath(client, paths);
    try {
      const { text, value } = await readJsonFile(path);
      if (text === undefined) continue;
      sources.push({ client, path });
      const listed = value[serversKey(client)];
      if (typeof listed !== 'object' || listed === null || Array.isArray(listed)) continue;
      for (const [name, entry] of Object.entries(listed as Record<string, unknown>)) {
        if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) continue;
        const record = entry as Record<string, unknown>;
        servers.push({ client, name, entry: record, config: toServerConfig(record) });
      }
    } catch (error) {
      sources.push({ client, path, error: (error as Error).message });
    }
  }
  return { sources, servers };
}

/** The import preview: each source with its servers, masked, clashes and loops marked. */
export async function scanImports(paths: MachinePaths, configured: ReadonlySet<string>, baseUrl: string): Promise<ImportSource[]> {
  const found = await findClientServers(paths);
  return found.sources.map((source) => ({
    client: source.client,
    label: CLIENT_LABELS[source.client],
    path: source.path,
    ...(source.error ? { error: source.error } : {}),
    servers: found.servers
      .filter((server) => server.client === source.client)
      .map((server) => {
        const config = server.config;
        return {
          name: server.name,
          transport: transportOf(config),
          ...(typeof config.command === 'string' ? { command: config.command } : {}),
          args: strings(config.args),
          ...(typeof config.url === 'string' ? { url: config.url } : {}),
          envKeys: Object.keys(stringMap(config.env) ?? {}),
          headerKeys: Object.keys(stringMap(config.headers) ?? {}),
          clash: configured.has(server.name),
          self: pointsAt(server.entry, baseUrl),
        };
      }),
  }));
}

/** A server entry with its env and header values replaced by a mask, for previews. */
export function maskServerConfig(config: Record<string, unknown>, mask: string): Record<string, unknown> {
  const masked = { ...config };
  for (const key of ['env', 'headers']) {
    const values = stringMap(config[key]);
    if (values) masked[key] = Object.fromEntries(Object.keys(values).map((name) => [name, mask]));
  }
  return masked;
}
