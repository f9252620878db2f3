/**
 * Starts the daemon core inside the app's main process, with the environment a terminal would
 * give it (the login shell's, read once) and the keychain for `${secret:X}` and for the tokens of
 * sign-ins to remote servers, which open the browser through the shell (`shell.openExternal`).
 *
 * In-process, not in a utilityProcess: a utility process runs Electron's own Node too, so
 * better-sqlite3 would need Electron's ABI there as well (rebuilding is needed either way), and it
 * would put a second IPC protocol between the window and the core for no isolation the app needs
 * (the servers already run as child processes). better-sqlite3 is rebuilt for Electron when
 * packaging (electron-builder) and by `npm run app`.
 */
import { homedir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigFile } from '../../shared/config.js';
import {
  appPaths,
  configPathFrom,
  defaultConfig,
  ensureConfigFile,
  type SecretCodec,
  type SecretProvider,
  buildSearchPath,
  type LoginShellEnvResult,
} from '../core/shell-surface.js';
import type { Runtime, RuntimeOptions } from '../core/runtime.js';
import type { Dispatcher } from '../core/operations/dispatcher.js';

export interface CoreHandle {
  readonly dispatcher: Dispatcher;
  readonly configPath: string;
  readonly logDir: string;
  /** `http://127.0.0.1:8000`, where clients reach the servers. */
  readonly url: string;
  /** Stops every server (whole process trees) and closes the store. */
  dispose(): Promise<void>;
}

/**
 * The environment the core runs with: the app's own, overlaid with the login shell's (where rc
 * files put tools on PATH and export tokens). PATH is the shell's, then the app's, then the
 * well-known tool folders; the supervisor is told not to ask the shell again. When the shell could
 * not be read (timeout, failing profile, no environment printed), the app's own environment is
 * used and `log` is told why, in one line (not on win32, which has no login shell to ask).
 */
export function desktopEnvironment(
  own: Record<string, string | undefined>,
  shell: LoginShellEnvResult,
  platform: NodeJS.Platform,
  log: (message: string) => void = () => undefined,
): Record<string, string | undefined> {
  if (!shell.ok) {
    if (platform !== 'win32') log(`login shell not read: ${shell.reason}; the core runs with the app's own environment`);
    return { ...own, MCP_ORCH_LOGIN_SHELL_PATH: '0' };
  }
  const home = shell.env.HOME ?? own.HOME ?? homedir();
  const path = buildSearchPath(shell.env.PATH, own.PATH, home, { platform });
  return { ...own, ...shell.env, PATH: path, MCP_ORCH_LOGIN_SHELL_PATH: '0' };
}

/** Where the core started with `env` reads its config and writes its logs (as the runtime decides them). */
export function corePathsFrom(env: Record<string, string | undefined>): { configPath: string; logDir: string } {
  return { configPath: configPathFrom(undefined, env), logDir: appPaths(env).logDir };
}

/**
 * The repository root, from the URL of a module of main/electron: compiled it is
 * `dist/main/electron/x.js` (three levels down), from source `main/electron/x.ts` (two).
 */
export function appRootOf(moduleUrl: string): string {
  const here = dirname(fileURLToPath(moduleUrl));
  return here.endsWith(`${sep}dist${sep}main${sep}electron`) ? join(here, '..', '..', '..') : join(here, '..', '..');
}

/** A start failure as a person can act on it; better-sqlite3 built for the wrong runtime gets the fix. */
export function explainCoreError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/NODE_MODULE_VERSION|compiled against a different Node\.js version/.test(message)) {
    return `better-sqlite3 is built for Node.js, not for this Electron: run "npx electron-builder install-app-deps" (npm run app does), then start again. (${message.split('\n')[0]})`;
  }
  return message;
}

/**
 * The first-start configuration of the app: the daemon's, with the example server bundled into one
 * file (`scripts/bundle-example-server.mjs`) and run by the user's own `node`, found on the login
 * shell's PATH like any server's command. Not by the app's own binary: its RunAsNode fuse is off
 * (docs/desktop.md). Without a `node`, the example's card says the command was not found.
 */
export function desktopDefaultConfig(exampleServer: string): ConfigFile {
  const config = defaultConfig();
  const example = config.mcpServers.example;
  if (example) config.mcpServers.example = { ...example, command: 'node', args: [exampleServer] };
  return config;
}

/**
 * Where a file of the packaged app is on disk for another program: inside `app.asar` only
 * Electron can read it, so files listed in `asarUnpack` are in `app.asar.unpacked` next to it.
 */
export function unpackedPath(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

export interface StartCoreOptions {
  createRuntime(options: RuntimeOptions): Promise<Runtime>;
  env: Record<string, string | undefined>;
  secrets: SecretProvider;
  /** The bundled example server (outside the asar), written into the config of a first start. */
  exampleServer: string;
  /** `shell.openExternal`: how a sign-in opens the browser in the app. */
  openExternal?: (url: string) => Promise<void>;
  /** How sign-in tokens are encrypted at rest (the OS keychain, `keychainCodec`). */
  oauthCodec?: SecretCodec;
}

/** A sign-in's browser in the app: `openExternal`, for http(s) links only; false when it could not open one. */
export function shellBrowser(openExternal: (url: string) => Promise<void>): (url: string) => Promise<boolean> {
  return (url) =>
    /^https?:\/\//i.test(url)
      ? openExternal(url).then(
          () => true,
          () => false,
        )
      : Promise.resolve(false);
}

export async function startCore(options: StartCoreOptions): Promise<CoreHandle> {
  let runtime: Runtime;
  try {
    if (!options.env.MCP_ORCH_CONFIG)
      await ensureConfigFile(configPathFrom(undefined, options.env), desktopDefaultConfig(options.exampleServer));
    runtime = await options.createRuntime({
      env: options.env,
      secrets: options.secrets,
      ...(options.openExternal ? { openBrowser: shellBrowser(options.openExternal) } : {}),
      ...(options.oauthCodec ? { oauthCodec: options.oauthCodec } : {}),
    });
  } catch (error) {
    throw new Error(explainCoreError(error));
  }
  return {
    dispatcher: runtime.operations,
    configPath: runtime.configPath,
    logDir: runtime.logDir,
    url: runtime.url,
    dispose: () => runtime.dispose(),
  };
}
