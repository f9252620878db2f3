/**
 * Mirrors each server's log buffer into `<logDir>/<server>.log`, rotated at a size limit so the
 * files stay bounded (one previous file kept as `.1`).
 */
import { createWriteStream, mkdirSync, renameSync, statSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Disposer } from '../events/emitter.js';
import type { LogBuffer } from '../supervisor/log-buffer.js';

const MAX_FILE_BYTES = 5 * 1024 * 1024;

export class LogFiles {
  private readonly files = new Map<string, { stream: WriteStream; bytes: number; path: string }>();

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** Follows `buffer` into the file of `name`; the disposer stops following. */
  follow(name: string, buffer: LogBuffer): Disposer {
    return buffer.onDidAppend((entry) => {
      this.write(name, `${new Date(entry.time).toISOString()} [${entry.stream}] ${entry.line}\n`);
    });
  }

  pathOf(name: string): string {
    return join(this.dir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.log`);
  }

  private write(name: string, text: string): void {
    let file = this.files.get(name);
    if (!file) {
      const path = this.pathOf(name);
      let bytes = 0;
      try {
        bytes = statSync(path).size;
      } catch {
        // a new file
      }
      file = { stream: this.open(path), bytes, path };
      this.files.set(name, file);
    }
    if (file.bytes + text.length > MAX_FILE_BYTES) {
      file.stream.end();
      try {
        renameSync(file.path, `${file.path}.1`);
      } catch {
        // rotation is best effort
      }
      file.stream = this.open(file.path);
      file.bytes = 0;
    }
    file.bytes += text.length;
    file.stream.write(text);
  }

  private open(path: string): WriteStream {
    const stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
    stream.on('error', () => undefined);
    return stream;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.files.values()].map((file) => new Promise<void>((resolve) => file.stream.end(resolve))));
    this.files.clear();
  }
}
