import Sqlite from 'better-sqlite3';
import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempStores } from './__fixtures__/temp-store.js';
import { openDatabase } from './database.js';
import { latestVersion, MIGRATIONS, SchemaTooNewError, schemaVersion, type Migration } from './migrations.js';

const temp = useTempStores();

function tableNames(db: Sqlite.Database): string[] {
  return db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map((r) => r.name);
}

/** The permission bits of a file or folder. */
const modeOf = (path: string): number => statSync(path).mode & 0o777;

describe('openDatabase', () => {
  // POSIX only: Windows has no 0700/0600 file modes.
  it.skipIf(process.platform === 'win32')('keeps the database private: its new folder 0700, the file and its WAL 0600', () => {
    const dir = join(temp.path(), '..', 'private-data');
    const path = join(dir, 'orch.db');
    const db = openDatabase(path);
    try {
      db.exec('CREATE TABLE t (x)');
      expect(modeOf(dir)).toBe(0o700);
      for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(modeOf(file), file).toBe(0o600);
    } finally {
      db.close();
    }
  });

  // POSIX only: Windows has no 0700/0600 file modes.
  it.skipIf(process.platform === 'win32')('tightens an existing database that others could read', () => {
    const path = join(temp.path(), '..', 'loose.db');
    writeFileSync(path, '');
    chmodSync(path, 0o644);
    openDatabase(path).close();
    expect(modeOf(path)).toBe(0o600);
  });

  it('creates the folder and the schema, with WAL, NORMAL sync, a busy timeout and foreign keys', () => {
    const path = join(temp.path(), '..', 'nested', 'deeper', 'orch.db');
    const db = openDatabase(path);
    try {
      expect(existsSync(path)).toBe(true);
      expect(schemaVersion(db)).toBe(latestVersion());
      expect(tableNames(db)).toEqual([
        'api_keys',
        'audit',
        'calls',
        'catalog',
        'counters',
        'pids',
        'plan_cache',
        'run_tasks',
        'runs',
        'server_events',
      ]);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(1);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      db.close();
    }
  });

  it('applies each migration once: reopening is a no-op and a new step applies alone', () => {
    const path = temp.path();
    const applied: number[] = [];
    const step = (version: number): Migration => ({
      version,
      name: `step ${version}`,
      up: (db) => {
        applied.push(version);
        db.exec(`CREATE TABLE t${version} (x)`);
      },
    });
    openDatabase(path, { migrations: [step(1)] }).close();
    openDatabase(path, { migrations: [step(1)] }).close();
    const db = openDatabase(path, { migrations: [step(1), step(2)] });
    try {
      expect(applied).toEqual([1, 2]);
      expect(schemaVersion(db)).toBe(2);
    } finally {
      db.close();
    }
  });

  it('rolls a failing migration back whole, leaving the previous version', () => {
    const path = temp.path();
    const good: Migration = { version: 1, name: 'good', up: (db) => db.exec('CREATE TABLE a (x)') };
    const bad: Migration = {
      version: 2,
      name: 'bad',
      up: (db) => {
        db.exec('CREATE TABLE b (x)');
        throw new Error('boom');
      },
    };
    expect(() => openDatabase(path, { migrations: [good, bad] })).toThrow('boom');
    const db = new Sqlite(path);
    try {
      expect(schemaVersion(db)).toBe(1);
      expect(tableNames(db)).toEqual(['a']);
    } finally {
      db.close();
    }
  });

  it('refuses a database written by a newer version, and leaves it untouched', () => {
    const path = temp.path();
    openDatabase(path).close();
    const raw = new Sqlite(path);
    raw.pragma(`user_version = ${latestVersion() + 7}`);
    raw.close();

    expect(() => openDatabase(path)).toThrow(SchemaTooNewError);
    expect(() => openDatabase(path)).toThrow(/schema version \d+, but this MCP Orch supports up to \d+/);
    const after = new Sqlite(path);
    try {
      expect(schemaVersion(after)).toBe(latestVersion() + 7);
    } finally {
      after.close();
    }
  });

  it('rejects a migration list with gaps', () => {
    const gap: Migration[] = [MIGRATIONS[0] as Migration, { version: 3, name: 'skips 2', up: () => undefined }];
    expect(() => openDatabase(':memory:', { migrations: gap })).toThrow(/expected 2/);
  });

  it('opens :memory: databases', () => {
    const db = openDatabase(':memory:');
    try {
      expect(schemaVersion(db)).toBe(latestVersion());
    } finally {
      db.close();
    }
  });
});
