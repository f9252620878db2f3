/**
 * Writes to mcp-config.json on behalf of the API, one write at a time: validate, write atomically
 * (keeping a backup), then apply it through hot reload, so an answer reflects the new state. The
 * file watcher sees the same text afterwards and finds nothing to do.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config/config-loader.js';
import { applyConfigEdits, writeConfigFile, type ConfigEdit } from '../config/config-writer.js';
import type { ReloadResult } from '../hot-reload.js';
import type { OperationDeps } from './deps.js';
import { OperationError } from './operation-error.js';

/** An opaque version of a config text: its SHA-256, shortened. */
export function revisionOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

export class ConfigEditor {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: Pick<OperationDeps, 'configPath' | 'env' | 'secrets' | 'hotReload'>) {}

  /** The file's text as it is on disk now. */
  read(): Promise<string> {
    return readFile(this.deps.configPath, 'utf8');
  }

  /** Applies `edits` to the file and reloads; nothing is written when they change nothing. */
  edit(edits: readonly ConfigEdit[]): Promise<ReloadResult | undefined> {
    return this.serial(async () => {
      const text = await this.read();
      const next = applyConfigEdits(text, edits);
      if (next === text) return undefined;
      return this.write(next);
    });
  }

  /** Replaces the file with `text`, unless it changed since `revision` (409). */
  replace(text: string, revision: string | undefined): Promise<ReloadResult> {
    return this.serial(async () => {
      if (revision !== undefined) {
        const current = revisionOf(await this.read());
        if (current !== revision)
          throw new OperationError(
            'conflict',
            `the config file changed since revision ${revision} (now ${current}): reload it and edit again`,
            { revision: current },
          );
      }
      return this.write(text);
    });
  }

  private async write(text: string): Promise<ReloadResult> {
    try {
      await writeConfigFile(this.deps.configPath, text, { env: this.deps.env, secrets: this.deps.secrets });
    } catch (error) {
      if (error instanceof ConfigError)
        throw new OperationError(
          'invalid_config',
          `invalid configuration: ${error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
          { issues: error.issues },
        );
      throw error;
    }
    return this.deps.hotReload.reload(text, this.deps.configPath);
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
