/**
 * Watches the config file for changes from any editor. Editors often replace the file (write a
 * temp file, rename it over), so the folder is watched and events for the file's name are
 * debounced into one call. The listener reads the file itself, when it is its turn to apply it.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface ConfigWatcherOptions {
  /** Quiet time before a burst of events counts as one change. */
  debounceMs?: number;
}

export class ConfigWatcher {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly path: string,
    private readonly onChange: () => void,
    private readonly options: ConfigWatcherOptions = {},
  ) {}

  start(): void {
    const name = basename(this.path);
    this.watcher = watch(dirname(this.path), { persistent: false }, (_event, file) => {
      if (file === null || file.toString() === name) this.schedule();
    });
    this.watcher.on('error', () => undefined);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onChange();
    }, this.options.debounceMs ?? 100);
  }
}
