/**
 * Watches the config file for changes from any editor. Editors often replace the file (write a
 * temp file, rename it over), so the folder is watched and events for the file's name are
 * debounced into one call with the new text.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

export interface ConfigWatcherOptions {
  /** Quiet time before a burst of events counts as one change. */
  debounceMs?: number;
}

export class ConfigWatcher {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastText: string | undefined;

  constructor(
    private readonly path: string,
    private readonly onChange: (text: string) => void,
    private readonly options: ConfigWatcherOptions = {},
  ) {}

  /** Starts watching; `initialText` is what is loaded now, so an unchanged save is ignored. */
  start(initialText: string | undefined): void {
    this.lastText = initialText;
    const name = basename(this.path);
    this.watcher = watch(dirname(this.path), { persistent: false }, (_event, file) => {
      if (file === null || file.toString() === name) this.schedule();
    });
    this.watcher.on('error', () => undefined);
  }

  /** Reads the file now and reports it if it changed (also used after our own writes). */
  async check(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      return; // mid-replace, or deleted: the next event tells
    }
    if (text === this.lastText) return;
    this.lastText = text;
    this.onChange(text);
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
      void this.check();
    }, this.options.debounceMs ?? 100);
  }
}
