/**
 * What the shells (main/cli, main/electron) may take from the core besides the runtime
 * (`runtime.ts`) and the operations (`operations/dispatcher.ts`, `operations/dispatcher-bridge.ts`):
 * the things that are no operation and that a shell needs before, around or without a daemon.
 * eslint.layers.js refuses any other import of main/core from a shell, types included; a shell that
 * needs more adds it here, where the whole surface is in one view.
 */

// Where things live on this machine, and the config file a shell starts from.
export { appPaths, configPathFrom, type AppPaths } from './config/app-paths.js';
export { ConfigError, loadConfigFile, parseConfig, type ResolvedConfig } from './config/config-loader.js';
export { defaultConfig, ensureConfigFile } from './config/default-config.js';
export { orchVersion } from './version.js';

// Who acts: the person at the machine is `localPrincipal('cli' | 'desktop' …)`.
export { ROLES, localPrincipal, type Principal, type Role } from './auth/roles.js';
// The desktop app's own session token, which the CLI reads to reach the daemon.
export { readSessionToken } from './auth/session-token.js';

// The secrets the desktop app keeps in the OS keychain, and the environment behind them.
export { environmentSecrets } from './secrets/environment-secrets.js';
export { FileSecrets, type SecretCodec } from './secrets/file-secrets.js';
export { SecretError, layeredSecrets, type SecretProvider } from './secrets/secret-provider.js';

// A GUI launch reads the user's login shell once, and widens PATH the way the supervisor does.
export { loginShellEnv, type LoginShellEnvResult } from './supervisor/login-shell.js';
export { buildSearchPath } from './supervisor/command-resolver.js';

// Shapes the shells print or watch.
export type { ReloadResult } from './hot-reload.js';
export type { ServerStatus } from './supervisor/server-supervisor.js';
export type { CompactReport } from './batch/batch-tool.js';
export { Emitter } from './events/emitter.js';

// The CLI's offline commands: key and client operations on the database, audited, without a daemon.
export { withLocalOperations, type LocalOperationsOptions } from './operations/local-operations.js';
