/** `import.*`: servers from the MCP clients' configs on this machine, merged into mcp-config.json. */
import { homedir } from 'node:os';
import { createTwoFilesPatch } from 'diff';
import { machinePaths } from '../clients/client-files.js';
import { findClientServers, maskServerConfig, scanImports } from '../clients/server-import.js';
import { ConfigError, parseConfig } from '../config/config-loader.js';
import { applyConfigEdits, type ConfigEdit } from '../config/config-writer.js';
import type { OperationDeps, Handlers } from './deps.js';
import { OperationError } from './operation-error.js';
import type { ConfigEditor } from './config-editor.js';
import { MASK } from './servers.handlers.js';

type Deps = Pick<OperationDeps, 'env' | 'baseUrl' | 'hotReload' | 'configPath'>;

export function importHandlers(deps: Deps, editor: ConfigEditor): Handlers<'import.scan' | 'import.apply'> {
  const paths = () => machinePaths(deps.env, process.platform, homedir());
  const configured = () => new Set(Object.keys(deps.hotReload.config.file.mcpServers));

  return {
    'import.scan': async () => ({ sources: await scanImports(paths(), configured(), deps.baseUrl()) }),
    'import.apply': async ({ servers: choices, dryRun }, call) => {
      const found = await findClientServers(paths());
      const text = await editor.read();
      const existing = configured();
      const chosen = new Set<string>();
      const clashes: { client: (typeof choices)[number]['client']; name: string }[] = [];
      const edits: ConfigEdit[] = [];
      const maskedEdits: ConfigEdit[] = [];
      for (const choice of choices) {
        const server = found.servers.find((candidate) => candidate.client === choice.client && candidate.name === choice.name);
        if (!server) throw new OperationError('not_found', `no server "${choice.name}" in the ${choice.client} config on this machine`);
        const target = choice.as ?? choice.name;
        if (existing.has(target) || chosen.has(target)) {
          clashes.push({ client: choice.client, name: target });
          continue;
        }
        chosen.add(target);
        edits.push({ path: ['mcpServers', target], value: server.config });
        maskedEdits.push({ path: ['mcpServers', target], value: maskServerConfig(server.config, MASK) });
      }
      const after = applyConfigEdits(text, edits);
      const diff = createTwoFilesPatch(deps.configPath, deps.configPath, text, applyConfigEdits(text, maskedEdits), '', '', { context: 3 });
      const issues = check(after, deps.env);
      const added = [...chosen];
      call.audit.details = { added, clashes: clashes.length, dryRun: dryRun ?? false };
      if (dryRun) return { added, clashes, diff, applied: false, issues };
      if (clashes.length > 0) {
        throw new OperationError(
          'conflict',
          `these names are already taken: ${clashes.map((clash) => clash.name).join(', ')}; choose another name ("as") or leave them out`,
          { clashes },
        );
      }
      if (issues.length > 0) {
        throw new OperationError(
          'invalid_config',
          `the merged configuration is invalid: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
          { issues },
        );
      }
      await editor.edit(edits);
      return { added, clashes, diff, applied: true, issues };
    },
  };
}

function check(text: string, env: OperationDeps['env']): { path: string; message: string }[] {
  try {
    parseConfig(text, { env });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
}
