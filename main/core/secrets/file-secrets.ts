/**
 * Secrets kept in one JSON file, private to the user (0600, written atomically), each value passed
 * through a codec: the identity for a headless file, the OS keychain's encryption in the app. The
 * file is read again whenever it changes on disk, so a hand edit is seen without a restart.
 *
 * The file: `{ "NAME": { "value": "<encoded>", "setAt": 1733100000000 } }`; a hand-written
 * `{ "NAME": "value" }` is read too.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { MAX_SECRETS, SecretError, checkSecret, type SecretInfo, type SecretProvider, type SecretSource } from './secret-provider.js';

/** How a value is stored: `decode(encode(v)) === v`; `decode` throws when it cannot. */
export interface SecretCodec {
  encode(value: string): string;
  decode(stored: string): string;
}

export const PLAIN_CODEC: SecretCodec = { encode: (value) => value, decode: (stored) => stored };

/** A file larger than this is not a secrets file: refused rather than read. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

export interface FileSecretsOptions {
  path: string;
  codec: SecretCodec;
  /** What `list` says the secrets come from. */
  source: SecretSource;
  /** See `SecretReader.howToSet`. */
  howToSet(name: string): string;
}

interface Entry {
  value: string;
  setAt?: number;
}

type Loaded = { ok: true; entries: Map<string, Entry> } | { ok: false; message: string };

export class FileSecrets implements SecretProvider {
  private loaded: Loaded = { ok: true, entries: new Map() };
  /** `mtime:size` of the file last read; undefined: it was absent; `unread` before the first look. */
  private stamp: string | undefined = 'unread';

  constructor(private readonly options: FileSecretsOptions) {}

  get(name: string): string | undefined {
    const entry = this.entries()?.get(name);
    if (!entry) return undefined;
    try {
      return this.options.codec.decode(entry.value);
    } catch {
      // A value the keychain can no longer decrypt (a reset keychain) counts as not set.
      return undefined;
    }
  }

  howToSet(name: string): string {
    return this.options.howToSet(name);
  }

  list(): SecretInfo[] {
    const entries = this.entries() ?? new Map<string, Entry>();
    return [...entries]
      .map(([name, entry]): SecretInfo => ({
        name,
        source: this.options.source,
        ...(entry.setAt !== undefined ? { setAt: entry.setAt } : {}),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  set(name: string, value: string): Promise<SecretInfo> {
    return Promise.resolve().then(() => {
      checkSecret(name, value);
      const entries = this.writable();
      if (!entries.has(name) && entries.size >= MAX_SECRETS)
        throw new SecretError('full', `${this.options.path} already holds ${MAX_SECRETS} secrets: clear some first`);
      const setAt = Date.now();
      const next = new Map(entries).set(name, { value: this.options.codec.encode(value), setAt });
      this.save(next);
      return { name, source: this.options.source, setAt };
    });
  }

  delete(name: string): Promise<boolean> {
    return Promise.resolve().then(() => {
      checkSecret(name);
      const entries = this.writable();
      if (!entries.has(name)) return false;
      const next = new Map(entries);
      next.delete(name);
      this.save(next);
      return true;
    });
  }

  /** The entries, read again when the file changed; undefined when the file cannot be read. */
  private entries(): Map<string, Entry> | undefined {
    const stamp = this.currentStamp();
    if (stamp !== this.stamp) {
      this.loaded = stamp === undefined ? { ok: true, entries: new Map() } : this.read();
      this.stamp = stamp;
    }
    return this.loaded.ok ? this.loaded.entries : undefined;
  }

  /** The entries to change; a file that cannot be read is never overwritten. */
  private writable(): Map<string, Entry> {
    const entries = this.entries();
    if (entries) return entries;
    const message = this.loaded.ok ? 'unknown' : this.loaded.message;
    throw new SecretError('unavailable', `cannot read the secrets file ${this.options.path}: ${message}; fix or remove it first`);
  }

  private currentStamp(): string | undefined {
    try {
      const stat = statSync(this.options.path);
      return `${stat.mtimeMs}:${stat.size}`;
    } catch {
      return undefined;
    }
  }

  private read(): Loaded {
    try {
      const { size, mode } = statSync(this.options.path);
      if (size > MAX_FILE_BYTES) return { ok: false, message: `it is over ${MAX_FILE_BYTES / 1024 / 1024} MiB` };
      // Someone else could read it: make it the user's alone before trusting it with more.
      if (process.platform !== 'win32' && (mode & 0o077) !== 0) chmodSync(this.options.path, 0o600);
      const raw: unknown = JSON.parse(readFileSync(this.options.path, 'utf8'));
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, message: 'it is not a JSON object' };
      const entries = new Map<string, Entry>();
      for (const [name, item] of Object.entries(raw as Record<string, unknown>)) {
        const entry = entryOf(item);
        if (entry === undefined) return { ok: false, message: `the entry "${name}" is neither a string nor { "value": string }` };
        entries.set(name, entry);
      }
      return { ok: true, entries };
    } catch (error) {
      return { ok: false, message: (error as Error).message };
    }
  }

  private save(entries: Map<string, Entry>): void {
    const path = this.options.path;
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const temp = `${path}.${process.pid}.tmp`;
    try {
      writeFileSync(temp, `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`, { mode: 0o600 });
      chmodSync(temp, 0o600);
      renameSync(temp, path);
    } catch (error) {
      rmSync(temp, { force: true });
      throw new SecretError('unavailable', `cannot write the secrets file ${path}: ${(error as Error).message}`);
    }
    this.loaded = { ok: true, entries };
    this.stamp = this.currentStamp();
  }
}

function entryOf(item: unknown): Entry | undefined {
  if (typeof item === 'string') return { value: item };
  if (item === null || typeof item !== 'object') return undefined;
  const { value, setAt } = item as { value?: unknown; setAt?: unknown };
  if (typeof value !== 'string') return undefined;
  return typeof setAt === 'number' && Number.isFinite(setAt) ? { value, setAt } : { value };
}
