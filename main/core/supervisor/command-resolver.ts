/**
 * Finds commands (`npx`, `uvx`, `node`) the way the user's login shell would. A GUI app on macOS
 * starts with a bare PATH (/usr/bin:/bin:/usr/sbin:/sbin), so we ask the login shell for its PATH
 * and add the usual per-user tool directories.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import which from 'which';

import { loginShellEnv, type LoginShellEnvOptions } from './login-shell.js';

/** One lookup per shell and home for the life of the process: rc files are slow and rarely change. */
const loginPathCache = new Map<string, Promise<string | undefined>>();

/**
 * The PATH an interactive login shell ends up with, or undefined on win32, on timeout or on any
 * failure. Never rejects. It is the PATH of `loginShellEnv`, the one probe of the login shell; the
 * result is cached per shell and HOME.
 */
export function loginShellPath(options: LoginShellEnvOptions = {}): Promise<string | undefined> {
  const env = options.env ?? process.env;
  const key = `${options.platform ?? process.platform}\n${options.shell ?? env.SHELL ?? ''}\n${env.HOME ?? ''}`;
  let cached = loginPathCache.get(key);
  if (!cached) {
    cached = loginShellEnv(options).then((result) => (result.ok && result.env.PATH ? result.env.PATH : undefined));
    loginPathCache.set(key, cached);
  }
  return cached;
}

export interface SearchPathOptions {
  /** Default `process.platform`; decides the delimiter and the well-known directories. */
  platform?: NodeJS.Platform;
  /** `%APPDATA%` on win32; default `process.env.APPDATA`. */
  appData?: string | undefined;
  /** Whether a well-known directory exists; default `fs.existsSync`. */
  exists?: (dir: string) => boolean;
}

/**
 * Merges the current PATH, the login shell's PATH and the well-known tool directories that exist
 * (Homebrew, /usr/local/bin, ~/.local/bin, Volta, Bun, Cargo, Deno; `%APPDATA%\npm` on win32), in
 * that order, without duplicates or empty entries. Returns a PATH string for `platform`.
 */
export function buildSearchPath(
  envPath: string | undefined,
  loginPath: string | undefined,
  home: string,
  options: SearchPathOptions = {},
): string {
  const platform = options.platform ?? process.platform;
  const exists = options.exists ?? existsSync;
  const delimiter = platform === 'win32' ? ';' : ':';
  const wellKnown = wellKnownDirs(home, platform, options.appData ?? process.env.APPDATA).filter((dir) => exists(dir));
  const seen = new Set<string>();
  const merged: string[] = [];
  for (const dir of [...splitPath(envPath, delimiter), ...splitPath(loginPath, delimiter), ...wellKnown]) {
    const key = dedupeKey(dir, platform);
    if (seen.has(key)) continue;
    seen.add(key);
    merged.push(dir);
  }
  return merged.join(delimiter);
}

function wellKnownDirs(home: string, platform: NodeJS.Platform, appData: string | undefined): string[] {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const join = (...parts: string[]): string => paths.join(...parts);
  const inHome = ['.local/bin', '.volta/bin', '.bun/bin', '.cargo/bin', '.deno/bin'].map((dir) => join(home, dir));
  if (platform === 'win32') return [...(appData ? [join(appData, 'npm')] : []), ...inHome];
  return ['/opt/homebrew/bin', '/usr/local/bin', ...inHome];
}

function splitPath(value: string | undefined, delimiter: string): string[] {
  return value ? value.split(delimiter).filter((dir) => dir !== '') : [];
}

/** `/a/b/` and `/a/b` are the same directory; on win32 case does not matter either. */
function dedupeKey(dir: string, platform: NodeJS.Platform): string {
  if (platform === 'win32') return (dir.replace(/[\\/]+$/, '') || dir).toLowerCase();
  return dir.replace(/\/+$/, '') || dir;
}

/**
 * Where `command` would be run from: a command containing a path separator is returned as-is (a
 * relative one is relative to the child's cwd); otherwise the first match in `searchPath`, found
 * with `which` (which honours PATHEXT on Windows, so `npx` finds `npx.cmd`). Undefined if none.
 */
export function resolveCommand(command: string, searchPath: string, platform: NodeJS.Platform): string | undefined {
  if (command === '') return undefined;
  if (isPathLike(command, platform)) return command;
  const delimiter = platform === 'win32' ? ';' : ':';
  // `which` treats an empty PATH entry as the current directory; a PATH-less search finds nothing.
  const dirs = splitPath(searchPath, delimiter);
  if (dirs.length === 0) return undefined;
  return which.sync(command, { path: dirs.join(delimiter), delimiter, nothrow: true }) ?? undefined;
}

function isPathLike(command: string, platform: NodeJS.Platform): boolean {
  if (command.includes('/')) return true;
  return platform === 'win32' && (command.includes('\\') || /^[a-zA-Z]:/.test(command));
}
