/**
 * Where MCP Orch keeps its files: the platform's app-data folders under the user's home, so a
 * different `HOME` gives an isolated instance. `MCP_ORCH_HOME` moves everything under one folder.
 */
import envPaths from 'env-paths';
import { join } from 'node:path';

export interface AppPaths {
  /** Folder of `mcp-config.json`. */
  configDir: string;
  /** Default config file path. */
  configFile: string;
  /** Folder of the database and other state. */
  dataDir: string;
  /** Folder of log files. */
  logDir: string;
}

export function appPaths(env: Record<string, string | undefined> = process.env): AppPaths {
  const root = env.MCP_ORCH_HOME;
  if (root) {
    return { configDir: root, configFile: join(root, 'mcp-config.json'), dataDir: root, logDir: join(root, 'logs') };
  }
  const paths = envPaths('mcp-orch', { suffix: '' });
  return {
    configDir: paths.config,
    configFile: join(paths.config, 'mcp-config.json'),
    dataDir: paths.data,
    logDir: paths.log,
  };
}

/** The config file to use: `--config`, else `MCP_ORCH_CONFIG`, else the app-data default. */
export function configPathFrom(option: string | undefined, env: Record<string, string | undefined>): string {
  return option ?? env.MCP_ORCH_CONFIG ?? appPaths(env).configFile;
}
