// Part 4: does the call log keep up? Counts the `tools/call` rows of the echo server in the
// daemon's SQLite file (read-only, beside the running daemon: WAL lets a reader in) and compares
// them, session by session, with the calls the benchmark sent.
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';

const POLL_MS = 10;

function rowsBySession(databasePath, server) {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        "SELECT session_id AS sessionId, COUNT(*) AS count FROM calls WHERE server = ? AND method = 'tools/call' GROUP BY session_id",
      )
      .all(server);
    return new Map(rows.map((row) => [row.sessionId, row.count]));
  } finally {
    db.close();
  }
}

function total(bySession) {
  let sum = 0;
  for (const count of bySession.values()) sum += count;
  return sum;
}

/** Calls sent per session id, summed over the measured paths. */
export function callsSent(paths) {
  const bySession = new Map();
  for (const target of paths) {
    for (const [sessionId, count] of target.sessions) bySession.set(sessionId, (bySession.get(sessionId) ?? 0) + count);
  }
  return bySession;
}

/**
 * Polls until the log holds `expected` rows (or `timeoutMs` passes); `lagMs` is the time from
 * `lastCallAt` (a `performance.now()`) until it did.
 */
export async function waitForRows(databasePath, { server, expected, lastCallAt, timeoutMs }) {
  const deadline = performance.now() + timeoutMs;
  let rows = 0;
  while (performance.now() < deadline) {
    rows = total(rowsBySession(databasePath, server));
    if (rows >= expected) return { rows, lagMs: performance.now() - lastCallAt, caughtUp: true };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return { rows, lagMs: performance.now() - lastCallAt, caughtUp: false };
}

/** Rows per session against calls sent per session; `mismatches` lists the sessions that differ. */
export function compareLog(databasePath, { server, sent }) {
  const logged = rowsBySession(databasePath, server);
  const mismatches = [];
  for (const sessionId of new Set([...sent.keys(), ...logged.keys()])) {
    const expected = sent.get(sessionId) ?? 0;
    const rows = logged.get(sessionId) ?? 0;
    if (expected !== rows) mismatches.push({ sessionId, sent: expected, rows });
  }
  return { sent: total(sent), rows: total(logged), mismatches };
}
