/** `config.*` and `mode.*`: the config file read, checked, replaced; the mode kept in `orch.mode`. */
import { ConfigError, parseConfig, type ConfigIssue } from '../config/config-loader.js';
import type { ReloadResult } from '../hot-reload.js';
import type { OperationDeps, Handlers } from './deps.js';
import type { ConfigEditor } from './config-editor.js';
import { revisionOf } from './config-editor.js';

/** A reload outcome as the API shows it: servers by name. */
export function reloadView(result: ReloadResult) {
  const names = (servers: { name: string }[]) => servers.map((server) => server.name);
  return {
    ok: result.ok,
    time: result.time,
    ...(result.issues ? { issues: result.issues } : {}),
    ...(result.diff
      ? {
          diff: {
            added: names(result.diff.added),
            removed: result.diff.removed,
            restarted: names(result.diff.restarted),
            updated: names(result.diff.updated),
            enabled: names(result.diff.enabled),
            disabled: names(result.diff.disabled),
            orch: result.diff.orch.map(String),
          },
        }
      : {}),
    ...(result.needsRestart ? { needsRestart: result.needsRestart } : {}),
  };
}

function check(
  text: string,
  { env, secrets }: Pick<OperationDeps, 'env' | 'secrets'>,
): { issues: ConfigIssue[]; file?: ReturnType<typeof parseConfig>['file'] } {
  try {
    return { issues: [], file: parseConfig(text, { env, secrets }).file };
  } catch (error) {
    if (error instanceof ConfigError) return { issues: error.issues };
    throw error;
  }
}

export function configHandlers(
  deps: OperationDeps,
  editor: ConfigEditor,
): Handlers<'config.get' | 'config.validate' | 'config.put' | 'mode.get' | 'mode.set'> {
  return {
    'config.get': async () => {
      const text = await editor.read();
      const { issues, file } = check(text, deps);
      return {
        path: deps.configPath,
        text,
        revision: revisionOf(text),
        ...(file ? { parsed: file } : {}),
        issues,
        lastReload: reloadView(deps.hotReload.status),
      };
    },
    'config.validate': ({ text }) => {
      const { issues } = check(text, deps);
      return { valid: issues.length === 0, issues };
    },
    'config.put': async ({ text, revision }, call) => {
      const result = await editor.replace(text, revision);
      const next = revisionOf(text);
      call.audit.details = { revision: next, ok: result.ok };
      return { revision: next, reload: reloadView(result) };
    },
    // The mode in force: `serve --mode` may differ from the file until the file's mode changes.
    'mode.get': () => ({ mode: deps.batch.mode }),
    'mode.set': async ({ mode }, call) => {
      call.audit.target = mode;
      await editor.edit([{ path: ['orch', 'mode'], value: mode }]);
      // Also when the file already said so (a `serve --mode` override): no reload would switch it.
      deps.batch.setMode(mode);
      return { mode: deps.batch.mode };
    },
  };
}
