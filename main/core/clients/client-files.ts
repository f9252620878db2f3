/**
 * Where each MCP client keeps its servers on this machine, per platform, from the home folder and
 * the platform's config folders of the environment given (so a test's HOME is an isolated machine).
 */
import { join } from 'node:path';
import type { ClientKind } from '../../../shared/client-config.js';

/** The client's name as people know it. */
export const CLIENT_LABELS: Record<ClientKind, string> = {
  cline: 'Cline',
  cursor: 'Cursor',
  vscode: 'VS Code',
  'claude-code': 'Claude Code',
  windsurf: 'Windsurf',
  'claude-desktop': 'Claude Desktop',
};

export interface MachinePaths {
  home: string;
  /** Per-user configuration folder: `~/.config` (Linux), `~/Library/Application Support` (macOS), `%APPDATA%` (Windows). */
  configRoot: string;
}

/** The folders of the user the environment describes. */
export function machinePaths(env: Record<string, string | undefined>, platform: NodeJS.Platform, fallbackHome: string): MachinePaths {
  const home = env.HOME ?? env.USERPROFILE ?? fallbackHome;
  if (platform === 'darwin') return { home, configRoot: join(home, 'Library', 'Application Support') };
  if (platform === 'win32') return { home, configRoot: env.APPDATA ?? join(home, 'AppData', 'Roaming') };
  return { home, configRoot: env.XDG_CONFIG_HOME ?? join(home, '.config') };
}

/** The config file a client reads its MCP servers from (user scope). */
export function clientConfigPath(client: ClientKind, paths: MachinePaths): string {
  switch (client) {
    case 'cline':
      return join(paths.configRoot, 'Code', 'User', 'globalStorage', 'saoudrizwan.claude-dev', 'settings', 'cline_mcp_settings.json');
    case 'cursor':
      return join(paths.home, '.cursor', 'mcp.json');
    case 'vscode':
      return join(paths.configRoot, 'Code', 'User', 'mcp.json');
    case 'claude-code':
      return join(paths.home, '.claude.json');
    case 'windsurf':
      return join(paths.home, '.codeium', 'windsurf', 'mcp_config.json');
    case 'claude-desktop':
      return join(paths.configRoot, 'Claude', 'claude_desktop_config.json');
  }
}

/** The key of the servers object in a client's file. */
export function serversKey(client: ClientKind): string {
  return client === 'vscode' ? 'servers' : 'mcpServers';
}
