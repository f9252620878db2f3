/**
 * Opens the SQLite file of the store (docs/specification.md §8): WAL, so readers never wait for the writer and a
 * commit costs one append; `synchronous = NORMAL`, which in WAL mode keeps every committed
 * transaction across a process crash (only a power loss can drop the last few).
 */
import Sqlite, { type Database } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
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
  if (!isMemory(path)) mkdirSync(dirname(path), { recursive: true });
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

function isMemory(path: string): boolean {
  return path === ':memory:' || path === '';
}
