/**
 * Versioned schema migrations. The database's `PRAGMA user_version` holds the version of the last
 * migration applied; each migration runs in its own transaction together with the version bump, so a
 * crash mid-migration leaves the previous version intact. Append new migrations; never edit old ones.
 */
import type { Database } from 'better-sqlite3';

/** One schema step. `up` runs inside a transaction and must not open its own. */
export interface Migration {
  /** 1, 2, 3 … in order, without gaps. */
  readonly version: number;
  /** A short description, shown in errors. */
  readonly name: string;
  /** Applies the step. */
  up(db: Database): void;
}

/** Raised when the file was written by a newer MCP Orch, whose schema this build does not know. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `the database has schema version ${found}, but this MCP Orch supports up to ${supported}: upgrade MCP Orch or use another database file`,
    );
    this.name = 'SchemaTooNewError';
  }
}

/** The schema of the store, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'call log, server events, catalog cache, child pids',
    up(db) {
      db.exec(`
        CREATE TABLE calls (
          id          INTEGER PRIMARY KEY,
          time        INTEGER NOT NULL,
          session_id  TEXT    NOT NULL,
          client      TEXT,
          server      TEXT    NOT NULL,
          tool        TEXT,
          method      TEXT    NOT NULL,
          duration_ms REAL    NOT NULL,
          ok          INTEGER NOT NULL,
          error       TEXT,
          bytes_in    INTEGER NOT NULL,
          bytes_out   INTEGER NOT NULL
        );
        CREATE INDEX calls_time ON calls (time);
        CREATE INDEX calls_server_time ON calls (server, time);

        CREATE TABLE server_events (
          id        INTEGER PRIMARY KEY,
          time      INTEGER NOT NULL,
          server    TEXT    NOT NULL,
          kind      TEXT    NOT NULL,
          pid       INTEGER,
          exit_code INTEGER,
          signal    TEXT,
          message   TEXT
        );
        CREATE INDEX server_events_time ON server_events (time);
        CREATE INDEX server_events_server_time ON server_events (server, time);

        CREATE TABLE catalog (
          server     TEXT    NOT NULL,
          kind       TEXT    NOT NULL,
          items      TEXT    NOT NULL,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (server, kind)
        ) WITHOUT ROWID;

        CREATE TABLE pids (
          pid                INTEGER PRIMARY KEY,
          server             TEXT    NOT NULL,
          started_at         INTEGER NOT NULL,
          process_start_time TEXT,
          command            TEXT    NOT NULL,
          owner_pid          INTEGER NOT NULL
        );
      `);
    },
  },
  {
    version: 2,
    name: 'API keys, audit log',
    up(db) {
      // A name is unique among live keys: neither revoked nor replaced by a rotation.
      db.exec(`
        CREATE TABLE api_keys (
          id                    TEXT    PRIMARY KEY,
          name                  TEXT    NOT NULL,
          role                  TEXT    NOT NULL,
          secret_hash           TEXT    NOT NULL,
          prefix                TEXT    NOT NULL,
          created_at            INTEGER NOT NULL,
          expires_at            INTEGER,
          revoked_at            INTEGER,
          replaced_by           TEXT,
          grace_until           INTEGER,
          allow                 TEXT    NOT NULL,
          deny                  TEXT    NOT NULL,
          rate_limit_per_minute INTEGER,
          usage_count           INTEGER NOT NULL DEFAULT 0,
          last_used_at          INTEGER
        ) WITHOUT ROWID;
        CREATE INDEX api_keys_prefix ON api_keys (prefix);
        CREATE UNIQUE INDEX api_keys_live_name ON api_keys (name) WHERE revoked_at IS NULL AND replaced_by IS NULL;

        CREATE TABLE audit (
          id       INTEGER PRIMARY KEY,
          time     INTEGER NOT NULL,
          key_id   TEXT,
          key_name TEXT,
          action   TEXT    NOT NULL,
          target   TEXT,
          outcome  TEXT    NOT NULL,
          details  TEXT
        );
        CREATE INDEX audit_time ON audit (time);
        CREATE INDEX audit_key_time ON audit (key_name, time);
        CREATE INDEX audit_action_time ON audit (action, time);
      `);
    },
  },
  {
    version: 3,
    name: 'batch runs',
    up(db) {
      db.exec(`
        CREATE TABLE runs (
          id          TEXT    PRIMARY KEY,
          source      TEXT    NOT NULL,
          status      TEXT    NOT NULL,
          plan        TEXT    NOT NULL,
          created_by  TEXT,
          session_id  TEXT,
          task_count  INTEGER NOT NULL,
          started_at  INTEGER NOT NULL,
          ended_at    INTEGER,
          wall_ms     REAL,
          sum_task_ms REAL,
          speedup     REAL,
          error       TEXT
        ) WITHOUT ROWID;
        CREATE INDEX runs_started ON runs (started_at);
        CREATE INDEX runs_status ON runs (status);

        CREATE TABLE run_tasks (
          run_id        TEXT    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          idx           INTEGER NOT NULL,
          task_id       TEXT    NOT NULL,
          tool          TEXT    NOT NULL,
          server        TEXT,
          status        TEXT    NOT NULL,
          attempts      INTEGER NOT NULL DEFAULT 0,
          started_at    REAL,
          ended_at      REAL,
          duration_ms   REAL,
          result        TEXT,
          truncated     INTEGER NOT NULL DEFAULT 0,
          error_code    TEXT,
          error_message TEXT,
          reason        TEXT,
          PRIMARY KEY (run_id, idx)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 4,
    name: 'who made each call and run; task progress as it happens',
    up(db) {
      db.exec(`
        ALTER TABLE calls ADD COLUMN key_id TEXT;
        ALTER TABLE calls ADD COLUMN key_name TEXT;
        CREATE INDEX calls_key_time ON calls (key_id, time);
        ALTER TABLE runs ADD COLUMN created_by_key TEXT;
        CREATE INDEX runs_key_started ON runs (created_by_key, started_at);
        ALTER TABLE run_tasks ADD COLUMN tool_name TEXT;
      `);
    },
  },
  {
    version: 5,
    name: 'plan cache, counters, planning of runs',
    up(db) {
      db.exec(`
        CREATE TABLE plan_cache (
          key             TEXT    PRIMARY KEY,
          request         TEXT    NOT NULL,
          catalog_version TEXT    NOT NULL,
          model           TEXT    NOT NULL,
          plan            TEXT    NOT NULL,
          created_at      INTEGER NOT NULL,
          used_at         INTEGER NOT NULL,
          hits            INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE INDEX plan_cache_used ON plan_cache (used_at);

        CREATE TABLE counters (
          name  TEXT    PRIMARY KEY,
          value INTEGER NOT NULL
        ) WITHOUT ROWID;

        ALTER TABLE runs ADD COLUMN request       TEXT;
        ALTER TABLE runs ADD COLUMN planning_ms   REAL;
        ALTER TABLE runs ADD COLUMN first_call_ms REAL;
        ALTER TABLE runs ADD COLUMN input_tokens  INTEGER;
        ALTER TABLE runs ADD COLUMN output_tokens INTEGER;
        ALTER TABLE runs ADD COLUMN cache_hit     INTEGER;
      `);
    },
  },
];

/** The version a database has once every migration in `migrations` is applied. */
export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.at(-1)?.version ?? 0;
}

/** The database's current schema version (`PRAGMA user_version`). */
export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings `db` up to the latest version and returns the migrations it applied (none when already
 * current). Throws `SchemaTooNewError` for a database from a newer build, touching nothing.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Migration[] {
  assertOrdered(migrations);
  const latest = latestVersion(migrations);
  const current = schemaVersion(db);
  if (current > latest) throw new SchemaTooNewError(current, latest);
  const pending = migrations.filter((m) => m.version > current);
  for (const migration of pending) {
    // IMMEDIATE takes the write lock first, so two processes cannot both apply the same step.
    db.transaction(() => {
      if (schemaVersion(db) >= migration.version) return;
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return pending;
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration "${migration.name}" has version ${migration.version}, expected ${index + 1}`);
    }
  });
}
