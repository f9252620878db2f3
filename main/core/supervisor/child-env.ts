/**
 * The environment a stdio server starts with: an explicit, small set inherited from the daemon
 * (as the MCP SDK does: no secrets leak by accident), PATH widened the way a login shell would see
 * it, and then the server's own `env` from the config.
 */
const INHERITED_POSIX = ['HOME', 'LOGNAME', 'SHELL', 'TERM', 'USER', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TMPDIR', 'TZ'];
const INHERITED_WIN32 = [
  'APPDATA',
  'HOMEDRIVE',
  'HOMEPATH',
  'LOCALAPPDATA',
  'PATHEXT',
  'PROCESSOR_ARCHITECTURE',
  'PROGRAMFILES',
  'SYSTEMDRIVE',
  'SYSTEMROOT',
  'TEMP',
  'TMP',
  'USERNAME',
  'USERPROFILE',
  'COMSPEC',
  'WINDIR',
];
/** Network and toolchain settings users expect every tool to honour. */
const INHERITED_ALWAYS = [
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
  'XDG_CACHE_HOME',
  'XDG_RUNTIME_DIR',
  'npm_config_cache',
  'npm_config_registry',
  'npm_config_userconfig',
];

export function childEnv(
  parent: Record<string, string | undefined>,
  searchPath: string,
  own: Record<string, string>,
  platform: NodeJS.Platform = process.platform,
): Record<string, string> {
  const env: Record<string, string> = {};
  const names = [...(platform === 'win32' ? INHERITED_WIN32 : INHERITED_POSIX), ...INHERITED_ALWAYS];
  for (const name of names) {
    const value = parent[name];
    // Exported shell functions ("() { …") are not values a child should inherit.
    if (value !== undefined && !value.startsWith('()')) env[name] = value;
  }
  env[platform === 'win32' ? 'Path' : 'PATH'] = searchPath;
  return { ...env, ...own };
}
