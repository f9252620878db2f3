/** `servers.*`: status, lifecycle, enable/disable (through the config file) and logs. */
import { endpointUrl } from '../../../shared/client-config.js';
import type { ResolvedServer } from '../config/config-loader.js';
import { afterSignIn } from '../oauth/runtime-sign-ins.js';
import { SignInError } from '../oauth/sign-ins.js';
import type { ServerSupervisor } from '../supervisor/server-supervisor.js';
import type { OperationDeps, Handlers } from './deps.js';
import { OperationError } from './operation-error.js';
import type { ConfigEditor } from './config-editor.js';

/** What the API shows instead of a secret. */
export const MASK = '••••';

export function serverOf(deps: Pick<OperationDeps, 'supervisor'>, name: string): ServerSupervisor {
  const server = deps.supervisor.get(name);
  if (server) return server;
  const known = deps.supervisor.names();
  throw new OperationError('unknown_server', `no server named "${name}"; known servers: ${known.length ? known.join(', ') : '(none)'}`, {
    known,
  });
}

export function serverSummary(deps: Pick<OperationDeps, 'registry' | 'baseUrl'>, server: ServerSupervisor) {
  const base = deps.baseUrl();
  return {
    ...server.status(),
    transport: server.config.transport,
    sessionMode: server.config.sessionMode,
    toolCount: deps.registry.catalog(server.name)?.tools.length ?? 0,
    endpoints: { streamableHttp: endpointUrl(base, 'streamableHttp', server.name), sse: endpointUrl(base, 'sse', server.name) },
  };
}

const maskValues = (values: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.keys(values).map((key) => [key, MASK]));

/** A value interpolated from the environment is shown as written (`${env:TOKEN}`), never resolved. */
function asWritten(raw: unknown, resolved: string | undefined): string | undefined {
  return typeof raw === 'string' && raw.includes('${') ? raw : resolved;
}

/** A URL without its password and query values. */
function maskUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = 'xxxx';
    for (const key of [...parsed.searchParams.keys()]) parsed.searchParams.set(key, 'xxxx');
    return parsed.toString();
  } catch {
    return MASK;
  }
}

function maskedConfig(config: ResolvedServer, raw: Record<string, unknown> | undefined) {
  const rawArgs = Array.isArray(raw?.args) ? (raw.args as unknown[]) : [];
  return {
    transport: config.transport,
    command: asWritten(raw?.command, config.command),
    args: config.args.map((arg, index) => asWritten(rawArgs[index], arg) ?? arg),
    cwd: asWritten(raw?.cwd, config.cwd),
    url: asWritten(raw?.url, maskUrl(config.url)),
    env: maskValues(config.env),
    headers: maskValues(config.headers),
    timeoutMs: config.timeoutMs,
    autoApprove: config.autoApprove,
    disabled: config.disabled,
    sessionMode: config.sessionMode,
  };
}

function upstreamInfo(result: Record<string, unknown> | undefined) {
  if (!result) return {};
  const info = result.serverInfo as { name?: unknown } | undefined;
  return {
    ...(info && typeof info.name === 'string' ? { serverInfo: info as { name: string } } : {}),
    ...(typeof result.protocolVersion === 'string' ? { protocolVersion: result.protocolVersion } : {}),
    ...(result.capabilities && typeof result.capabilities === 'object'
      ? { capabilities: result.capabilities as Record<string, unknown> }
      : {}),
    ...(typeof result.instructions === 'string' ? { instructions: result.instructions } : {}),
  };
}

export function serverHandlers(
  deps: OperationDeps,
  editor: ConfigEditor,
): Handlers<
  | 'servers.list'
  | 'servers.status'
  | 'servers.start'
  | 'servers.stop'
  | 'servers.restart'
  | 'servers.enable'
  | 'servers.disable'
  | 'servers.logs'
  | 'servers.signIn'
  | 'servers.signOut'
> {
  const summary = (server: ServerSupervisor) => serverSummary(deps, server);
  const configured = (name: string): ServerSupervisor => {
    const server = serverOf(deps, name);
    if (!deps.hotReload.config.servers.some((entry) => entry.name === name))
      throw new OperationError('unknown_server', `the server "${name}" is not in the config file`);
    return server;
  };
  const setDisabled = async (name: string, disabled: boolean) => {
    configured(name);
    await editor.edit([{ path: ['mcpServers', name, 'disabled'], value: disabled ? true : undefined }]);
    const server = serverOf(deps, name);
    if (!disabled) await server.start();
    return summary(server);
  };
  const enabledServer = (name: string, action: string): ServerSupervisor => {
    const server = serverOf(deps, name);
    if (server.config.disabled)
      throw new OperationError(
        'conflict',
        `the server "${name}" is disabled: enable it before you ${action} it (POST /api/servers/${encodeURIComponent(name)}/enable)`,
      );
    return server;
  };

  /** A server that signs in: remote, `oauth` not false, enabled. */
  const signingServer = (name: string, action: string) => {
    const server = enabledServer(name, action);
    const { oauth, url } = server.config;
    if (!oauth || !url)
      throw new OperationError(
        'conflict',
        server.config.transport === 'stdio'
          ? `the server "${name}" runs on this machine (stdio): it has no sign-in`
          : `sign-in is off for the server "${name}" ("oauth": false in the config)`,
      );
    return { server, target: { name, url, oauth } };
  };

  return {
    'servers.signIn': async ({ name, openBrowser }) => {
      const { target } = signingServer(name, 'sign in to');
      try {
        const result = await deps.signIns.begin(target, { openBrowser: openBrowser ?? true });
        if (result.status === 'signed-in') afterSignIn(deps.supervisor, name);
        return result;
      } catch (error) {
        if (error instanceof SignInError) throw new OperationError('server_unavailable', error.message);
        throw error;
      }
    },
    'servers.signOut': async ({ name }) => {
      const { server, target } = signingServer(name, 'sign out of');
      await deps.signIns.signOut(target);
      // The connection holds no token of its own, but a session may: start again without one.
      await server.restart();
      return summary(server);
    },
    'servers.list': () => ({ servers: deps.supervisor.list().map(summary) }),
    'servers.status': ({ name }) => {
      const server = serverOf(deps, name);
      const raw: Record<string, unknown> | undefined = deps.hotReload.config.file.mcpServers[name];
      return { ...summary(server), config: maskedConfig(server.config, raw), ...upstreamInfo(server.initializeResult) };
    },
    'servers.start': async ({ name }) => {
      const server = enabledServer(name, 'start');
      await server.start();
      return summary(server);
    },
    'servers.stop': async ({ name }) => {
      const server = serverOf(deps, name);
      await server.stop();
      return summary(server);
    },
    'servers.restart': async ({ name }) => {
      const server = enabledServer(name, 'restart');
      await server.restart();
      return summary(server);
    },
    'servers.enable': ({ name }) => setDisabled(name, false),
    'servers.disable': ({ name }) => setDisabled(name, true),
    'servers.logs': ({ name, limit, stream, since }) => {
      const server = serverOf(deps, name);
      const wanted = limit ?? 200;
      const entries = server.logs
        .entries()
        .filter((entry) => (stream === undefined || entry.stream === stream) && (since === undefined || entry.time >= since));
      return { server: name, entries: entries.slice(-wanted) };
    },
  };
}
