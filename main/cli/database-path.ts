/**
 * Which SQLite file the daemon uses, found the way the runtime finds it: `orch.database` of the
 * config file when it sets one, else `<app data>/mcp-orch.db`. `mcp-orch token` works on the store
 * directly and opens the same file, so it works whether or not the daemon runs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { appPaths, configPathFrom, loadConfigFile } from '../core/shell-surface.js';

/** The database file name inside the app-data folder. */
export const DATABASE_FILE = 'mcp-orch.db';

/**
 * The database path for `--config <option>` (or `MCP_ORCH_CONFIG`, or the default config file).
 * A missing default config file means the defaults; a missing file named explicitly is an error.
 * Throws `ConfigError` for an invalid config.
 */
export async function resolveDatabasePath(option: string | undefined, env: Record<string, string | undefined>): Promise<string> {
  const fallback = join(appPaths(env).dataDir, DATABASE_FILE);
  const configPath = configPathFrom(option, env);
  const named = option !== undefined || env.MCP_ORCH_CONFIG !== undefined;
  if (!named && !existsSync(configPath)) return fallback;
  // Only orch.database is needed: an unset `${env:X}` of some server must not stop us.
  const lenient = new Proxy(env, { get: (target, key) => (typeof key === 'string' ? (target[key] ?? '') : undefined) });
  const config = await loadConfigFile(configPath, { env: lenient });
  return config.orch.database ?? fallback;
}
