/**
 * Opens the SQLite file of the store (docs/specification.md §8): WAL, so readers never wait for the writer and a
 * commit costs one append; `synchronous = NORMAL`, which in WAL mode keeps every committed
 * transaction across a process crash (only a power loss can drop the last few).
 */
import Sqlite, { type Database } from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate, type Migration } from './migrations.js';

export interface OpenDatabaseOptions {
  /** How long a statement waits for a lock held by another connection before failing. Default 5 s. */
  busyTimeoutMs?: number;
  /** The schema steps to apply; default `MIGRATIONS`. */
  migrations?: readonly Migration[];
}

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens (creating the file and its folder if needed) and migrates the database at `path`; `:memory:`
 * gives a private in-memory database. Throws `SchemaTooNewError` for a file from a newer build; the
 * handle is closed before any error leaves.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Database {
  if (!isMemory(path)) makePrivate(path);
  const db = new Sqlite(path, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, options.migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The store holds run results and the audit log: a folder it creates is 0700, and the file is 0600
 * before SQLite opens it (SQLite gives its -wal and -shm files the database file's mode). A file
 * that others could read is tightened; a folder the user made is left as it is.
 */
function makePrivate(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
  for (const companion of [`${path}-wal`, `${path}-shm`]) if (existsSync(companion)) chmodSync(companion, 0o600);
}

function isMemory(path: string): boolean {
  return path === ':memory:' || path === '';
}
