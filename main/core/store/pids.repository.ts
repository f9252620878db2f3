/**
 * The child processes the daemon started, so that the next start can reap them if the daemon died
 * without stopping them (docs/specification.md §4). Add a row right after spawn, remove it once the process has exited.
 */
import type { Database } from 'better-sqlite3';

/** A child process as recorded at spawn. */
export interface PidEntry {
  pid: number;
  server: string;
  /** When it was spawned (ms epoch). */
  startedAt: number;
  /** `processStartTime(pid)` right after spawn: proves later that the pid was not reused. */
  processStartTime?: string | undefined;
  /** The command line as spawned (executable and arguments, space-separated). */
  command: string;
  /** The daemon that spawned it; default this process. */
  ownerPid?: number | undefined;
}

/** A child process as read back. */
export interface PidRecord extends PidEntry {
  ownerPid: number;
}

interface PidRow {
  pid: number;
  server: string;
  started_at: number;
  process_start_time: string | null;
  command: string;
  owner_pid: number;
}

export class PidsRepository {
  constructor(private readonly db: Database) {}

  /** Records a child (replacing any stale row for the same pid). */
  add(entry: PidEntry): void {
    this.db
      .prepare('INSERT OR REPLACE INTO pids (pid, server, started_at, process_start_time, command, owner_pid) VALUES (?, ?, ?, ?, ?, ?)')
      .run(
        entry.pid,
        entry.server,
        Math.trunc(entry.startedAt),
        entry.processStartTime ?? null,
        entry.command,
        entry.ownerPid ?? process.pid,
      );
  }

  /** Forgets `pid`. Returns true if it was recorded. */
  remove(pid: number): boolean {
    return this.db.prepare('DELETE FROM pids WHERE pid = ?').run(pid).changes > 0;
  }

  /** Every recorded child, oldest first. */
  all(): PidRecord[] {
    return this.db.prepare<[], PidRow>('SELECT * FROM pids ORDER BY started_at, pid').all().map(toRecord);
  }

  /** Forgets every child. */
  clear(): void {
    this.db.prepare('DELETE FROM pids').run();
  }
}

function toRecord(row: PidRow): PidRecord {
  const record: PidRecord = { pid: row.pid, server: row.server, startedAt: row.started_at, command: row.command, ownerPid: row.owner_pid };
  if (row.process_start_time !== null) record.processStartTime = row.process_start_time;
  return record;
}
