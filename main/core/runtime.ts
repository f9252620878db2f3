/**
 * The composition root: loads the configuration, starts the servers, and serves the MCP endpoints,
 * the REST API and the live events over HTTP, with one dispatcher of every operation for the other
 * transports. Runs the same under the CLI, the tests and inside Electron. `dispose()` stops
 * everything.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appPaths, configPathFrom } from './config/app-paths.js';
import { ConfigError, parseConfig, type ResolvedConfig } from './config/config-loader.js';
import { ConfigWatcher } from './config/config-watcher.js';
import { ensureConfigFile } from './config/default-config.js';
import { createHttpApp } from './http/app.js';
import { createRestApi } from './http/rest-adapter.js';
import { HotReload } from './hot-reload.js';
import type { McpLimits } from './mcp/limits.js';
import { createMcpEndpoints, type McpEndpoints } from './mcp/mcp-endpoints.js';
import { createDispatcher } from './operations/create-dispatcher.js';
import type { Dispatcher } from './operations/dispatcher.js';
import { createHandlers } from './operations/handlers.js';
import { LiveEvents } from './operations/live-events.js';
import { LogFiles } from './logs/log-files.js';
import { join } from 'node:path';
import { AggregateView } from './registry/aggregate-view.js';
import { ToolRegistry } from './registry/tool-registry.js';
import { RateLimiter } from './auth/rate-limiter.js';
import { deleteSessionToken, writeSessionToken } from './auth/session-token.js';
import { TokenService, bootstrapTokenFromEnv } from './auth/token-service.js';
import { headlessSecrets } from './secrets/environment-secrets.js';
import type { SecretProvider } from './secrets/secret-provider.js';
import { reapOrphans, type ReapReport } from './supervisor/orphan-reaper.js';
import { catalogCache, recordActivity } from './activity/record-activity.js';
import { Store, retentionFromConfig } from './store/store.js';
import { Supervisor, type SupervisorOptions } from './supervisor/supervisor.js';
import { BatchService, type OrchMode } from './runs/batch-service.js';
import { RuntimeCredentials } from './config/credentials.js';
import { PlannerService, type PlannerServiceOptions } from './planner/planner-service.js';
import type { OperationDeps } from './operations/deps.js';
import { orchVersion } from './version.js';
import { createOAuthCallback } from './oauth/callback-route.js';
import { afterSignIn, createSignIns } from './oauth/runtime-sign-ins.js';
import type { SecretCodec } from './secrets/file-secrets.js';

export interface RuntimeOptions {
  /** Config file; default `MCP_ORCH_CONFIG` or the app-data default (created on first start). */
  configPath?: string;
  /** Overrides `orch.port` (0 = any free port). */
  port?: number;
  /** Overrides `orch.host`. */
  host?: string;
  env?: Record<string, string | undefined>;
  /** Where `${secret:X}` is looked up and `secrets.*` store; default `MCP_ORCH_SECRET_X` and `MCP_ORCH_SECRETS_FILE` in `env`. */
  secrets?: SecretProvider;
  version?: string;
  /** Where the runtime keeps logs; default the app-data log folder. */
  logDir?: string;
  /** The SQLite file; default `orch.database` or `<app data>/mcp-orch.db`. */
  databasePath?: string;
  maxBodyBytes?: number;
  /** A Streamable HTTP call unanswered after this long becomes a resumable SSE stream; default 50 ms. */
  streamAfterMs?: number;
  /** What MCP clients may make the daemon hold (unsent output, replay); `DEFAULT_MCP_LIMITS` by default. */
  mcpLimits?: Partial<McpLimits>;
  supervisor?: Omit<SupervisorOptions, 'env' | 'version'>;
  /** Follow the config file and apply changes (default true). */
  watchConfig?: boolean;
  /** Overrides `orch.mode` until the config's mode changes (`serve --mode`). */
  mode?: OrchMode;
  /** Opens the system browser for a sign-in; default `BROWSER`, else the platform's opener (the app: its shell). */
  openBrowser?: (url: string) => Promise<boolean>;
  /** How sign-in tokens are protected in `<data>/oauth.json`; plain (the file is 0600) by default (the app: the OS keychain). */
  oauthCodec?: SecretCodec;
  /** How the planner reaches its model and where its warnings go (tests). */
  planner?: Partial<Pick<PlannerServiceOptions, 'model' | 'credentials' | 'onWarning'>>;
}

export interface Runtime {
  /** The configuration in force (changes with hot reload). */
  readonly config: ResolvedConfig;
  readonly hotReload: HotReload;
  /** Every operation of the API contract, for any transport (REST, the desktop app's IPC, the CLI). */
  readonly operations: Dispatcher;
  readonly registry: ToolRegistry;
  readonly view: AggregateView;
  readonly store: Store;
  /** Child processes of a previous daemon that this start killed. */
  readonly reaped: ReapReport;
  readonly tokens: TokenService;
  /** Where `${secret:X}` is looked up, and `secrets.*` store. */
  readonly secrets: SecretProvider;
  /** This daemon's local session token (for the desktop window and the CLI), also in `<data>/session-token`. */
  readonly sessionToken: string;
  readonly configPath: string;
  /** True when this start wrote the default config. */
  readonly createdConfig: boolean;
  readonly supervisor: Supervisor;
  /** The MCP endpoints and their client sessions. */
  readonly endpoints: McpEndpoints;
  readonly http: Server;
  readonly host: string;
  readonly port: number;
  /** `http://host:port`, as clients should use it. */
  readonly url: string;
  readonly logDir: string;
  /** Resolves when every enabled server is running or has failed. */
  readonly ready: Promise<void>;
  /** `proxy` or `batch` (docs/specification.md §6): whether `batch_execute` is offered. */
  readonly mode: OrchMode;
  /** Switches the mode now; every connected session gets `notifications/tools/list_changed`. */
  setMode(mode: OrchMode): void;
  /** Runs `batch_execute` calls; the mode lives here. */
  readonly batch: BatchService;
  /** The LLM planner (`orch.planner`): `plan_and_execute`, `POST /api/runs {request}`. */
  readonly planner: PlannerService;
  dispose(): Promise<void>;
}

export async function createRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const env = options.env ?? process.env;
  const secrets = options.secrets ?? headlessSecrets(env);
  const configPath = configPathFrom(options.configPath, env);
  const createdConfig = options.configPath === undefined && !env.MCP_ORCH_CONFIG ? await ensureConfigFile(configPath) : false;
  const configText = await readConfigText(configPath);
  const config: ResolvedConfig = { ...parseConfig(configText, { env, secrets, source: configPath }), path: configPath };
  const host = options.host ?? config.orch.host;
  const logDir = options.logDir ?? appPaths(env).logDir;
  const version = options.version ?? orchVersion();

  const paths = appPaths(env);
  makePrivateFolder(paths.dataDir);
  const store = Store.open(options.databasePath ?? config.orch.database ?? join(paths.dataDir, 'mcp-orch.db'), {
    retention: retentionFromConfig(config.orch.retention),
  });
  store.onDidError((error) => console.error(`mcp-orch: store: ${error.message}`));
  const sessionToken = writeSessionToken(paths.dataDir);
  const tokens = new TokenService({ tokens: store.tokens, bootstrapToken: bootstrapTokenFromEnv(env), sessionToken });
  let url = '';
  const signIns = createSignIns({
    dataDir: paths.dataDir,
    env,
    version,
    codec: options.oauthCodec,
    openBrowser: options.openBrowser,
    baseUrl: () => url,
    supervisor: () => supervisor,
  });
  const supervisor = new Supervisor({ ...options.supervisor, env, version, signIns });
  const logFiles = new LogFiles(logDir);
  const registry = new ToolRegistry({ disabledTools: config.orch.disabledTools, cache: catalogCache(store) });
  const view = new AggregateView(registry, config.orch.namespaceSeparator);
  for (const server of config.servers) {
    const added = supervisor.add(server);
    logFiles.follow(server.name, added.logs);
  }
  registry.watchAll(supervisor);
  const stopRecording = recordActivity(store, supervisor);

  const reload = new HotReload(config, { supervisor, registry, view, env, secrets }, configText);
  const batch = new BatchService({
    mode: options.mode ?? config.orch.mode,
    settings: () => reload.config.orch.batch,
    runs: store.runs,
    onError: (error) => console.error(`mcp-orch: store: ${error.message}`),
    audit: (entry) => store.audit.record(entry),
  });
  // The AI SDK prints provider warnings to the console unless told not to; the planner reports them itself, to stderr.
  globalThis.AI_SDK_LOG_WARNINGS = false;
  const planner = new PlannerService({
    config: () => reload.config.orch.planner,
    onWarning: (message) => console.error(`mcp-orch: planner: ${message}`),
    credentials: new RuntimeCredentials(env, secrets),
    batch,
    cache: store.planCache,
    audit: (entry) => store.audit.record(entry),
    ...options.planner,
  });
  const deps: OperationDeps = {
    batch,
    planner,
    supervisor,
    registry,
    view,
    store,
    tokens,
    hotReload: reload,
    configPath,
    env,
    secrets,
    version,
    signIns,
    baseUrl: () => url,
  };
  const events = new LiveEvents(deps);
  const operations = createDispatcher({
    handlers: createHandlers(deps),
    audit: (entry) => store.audit.record(entry),
    events,
    toolsOf: (server) => registry.catalog(server)?.tools.map((tool) => String(tool.name)),
  });
  const endpoints = createMcpEndpoints({
    batch,
    planner,
    supervisor,
    registry,
    view,
    version,
    sessionIdleMs: config.orch.sessionIdleMs,
    maxBodyBytes: options.maxBodyBytes,
    streamAfterMs: options.streamAfterMs,
    limits: options.mcpLimits,
    keyIsLive: (keyId) => {
      if (keyId === 'bootstrap' || keyId === 'session') return true;
      const status = tokens.get(keyId)?.status;
      return status === 'active' || status === 'rotating';
    },
    audit: (entry) => store.audit.record(entry),
  });
  reload.onDidApplyChange((change) => {
    if (change.kind === 'removing' || change.kind === 'sessionsReset') endpoints.closeSessionsOf(change.server);
    else if (change.kind === 'toolsToggled') endpoints.toolsToggled(change.servers);
    else {
      logFiles.follow(change.server.name, change.server.logs);
      endpoints.serverAdded(change.server);
    }
  });
  reload.onDidReload((result) => {
    if (result.ok) store.setRetention(retentionFromConfig(reload.config.orch.retention));
    if (result.diff?.orch.includes('mode')) batch.setMode(reload.config.orch.mode);
    if (result.diff?.orch.includes('planner')) planner.reset();
  });
  const http = createServer(
    createHttpApp({
      endpoints,
      rest: createRestApi(operations, { maxBodyBytes: options.maxBodyBytes }),
      host,
      allowedHosts: config.orch.allowedHosts,
      allowedOrigins: config.orch.allowedOrigins,
      tokens,
      limiter: new RateLimiter(),
      oauthCallback: createOAuthCallback({ signIns, onSignedIn: (name) => afterSignIn(supervisor, name) }),
    }),
  );
  http.keepAliveTimeout = 65_000;
  try {
    await listen(http, options.port ?? config.orch.port, host);
  } catch (error) {
    deleteSessionToken(paths.dataDir, sessionToken);
    events.dispose();
    endpoints.dispose();
    reload.dispose();
    planner.dispose();
    batch.dispose();
    registry.dispose();
    stopRecording();
    store.close();
    await logFiles.dispose();
    throw error;
  }
  // Only now, with the port ours (no second daemon on it), are the recorded children of a dead daemon reaped.
  const reaped = await reapOrphans(store.pids);
  store.runs.markInterrupted();
  const port = (http.address() as AddressInfo).port;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const watcher = new ConfigWatcher(configPath, () => void reload.reloadFile(configPath));
  if (options.watchConfig !== false) watcher.start();

  const ready = supervisor.startAll();
  let disposed: Promise<void> | undefined;

  return {
    get config() {
      return reload.config;
    },
    hotReload: reload,
    operations,
    registry,
    view,
    store,
    reaped,
    tokens,
    secrets,
    sessionToken,
    configPath,
    createdConfig,
    supervisor,
    endpoints,
    http,
    host,
    port,
    url,
    logDir,
    ready,
    get mode() {
      return batch.mode;
    },
    setMode: (mode) => batch.setMode(mode),
    batch,
    planner,
    dispose() {
      disposed ??= (async () => {
        watcher.dispose();
        events.dispose();
        reload.dispose();
        planner.dispose();
        batch.dispose();
        endpoints.dispose();
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
        await supervisor.dispose();
        signIns.dispose();
        registry.dispose();
        stopRecording();
        store.close();
        deleteSessionToken(paths.dataDir, sessionToken);
        await logFiles.dispose();
      })();
      return disposed;
    },
  };
}

/** The app's own data folder holds the store and the session token: only its user may enter it. */
function makePrivateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(dir, 0o700);
}

async function readConfigText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError([{ path: '(file)', message: `cannot read ${path}: ${(error as Error).message}` }], path);
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(
        error.code === 'EADDRINUSE' ? new Error(`port ${port} on ${host} is already in use: stop the other process or pass --port`) : error,
      );
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
