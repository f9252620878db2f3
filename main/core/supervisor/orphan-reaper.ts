/**
 * Reaps the children a crashed daemon left behind (docs/specification.md §4). A recorded pid may since have been
 * reused by an unrelated process, so a live pid is killed only once its identity is confirmed: on
 * Linux by the start time recorded at spawn, elsewhere by its command line. When in doubt, nothing is
 * killed. Children were spawned `detached`, so each leads its own process group (pgid == pid) and the
 * whole group is signalled.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isAlive, isGroupAlive, killGroup, killTree, waitForTreeExit } from './process-tree.js';
import type { PidRecord, PidsRepository } from '../store/pids.repository.js';

export interface ReapOptions {
  /** Time between SIGTERM and SIGKILL. Default 2 s. */
  graceMs?: number;
  /** Time allowed for the group to vanish after SIGKILL. Default 2 s. */
  killTimeoutMs?: number;
  platform?: NodeJS.Platform;
}

/**
 * Why a recorded child was left alone: `gone` (nothing left to kill), `not-ours` (the pid now belongs
 * to another process), `unconfirmed` (identity unknown, e.g. on Windows), `owner-alive` (the daemon that
 * spawned it still runs), `survived` (still alive after SIGKILL; kept for the next start).
 */
export type SkipReason = 'gone' | 'not-ours' | 'unconfirmed' | 'owner-alive' | 'survived';

/** The outcome of `reapOrphans`. */
export interface ReapReport {
  /** Children whose process group was killed. */
  reaped: PidRecord[];
  skipped: { record: PidRecord; reason: SkipReason }[];
}

/**
 * For every recorded child: kills its process group if it is still ours (SIGTERM, then SIGKILL after
 * `graceMs`), then forgets it. Records of another live daemon, and survivors, are kept. Call once at
 * daemon start, before spawning anything.
 */
export async function reapOrphans(pids: PidsRepository, options: ReapOptions = {}): Promise<ReapReport> {
  const report: ReapReport = { reaped: [], skipped: [] };
  const outcomes = await Promise.all(pids.all().map(async (record) => ({ record, outcome: await reapOne(record, options) })));
  for (const { record, outcome } of outcomes) {
    if (outcome === 'reaped') report.reaped.push(record);
    else report.skipped.push({ record, reason: outcome });
    if (outcome !== 'owner-alive' && outcome !== 'survived') pids.remove(record.pid);
  }
  return report;
}

/**
 * An identity token of a live process: `<boot id>:<start time in clock ticks>` (`/proc/<pid>/stat`
 * field 22), which no other process can share. Linux only; undefined elsewhere or if `pid` is gone.
 */
export function processStartTime(pid: number, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform !== 'linux') return undefined;
  const stat = readText(`/proc/${pid}/stat`);
  // Fields after "pid (comm) " start at field 3, so field 22 has index 19.
  const ticks = stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  if (!ticks || !/^\d+$/.test(ticks)) return undefined;
  return `${readText('/proc/sys/kernel/random/boot_id')?.trim() ?? 'unknown-boot'}:${ticks}`;
}

async function reapOne(record: PidRecord, options: ReapOptions): Promise<'reaped' | SkipReason> {
  const platform = options.platform ?? process.platform;
  const { pid } = record;
  if (record.ownerPid !== process.pid && isAlive(record.ownerPid)) return 'owner-alive';
  if (isAlive(pid)) {
    const identity = await identify(record, platform);
    if (identity !== 'ours') return identity;
    return (await terminate(pid, options, platform, (signal) => killTree(pid, signal, platform))) ? 'reaped' : 'survived';
  }
  // The leader has exited but members of its group live on. POSIX does not reuse a pid while a group
  // with that id exists, so they can only be the child's own descendants.
  if (platform !== 'win32' && isGroupAlive(pid)) {
    return (await terminate(pid, options, platform, (signal) => void killGroup(pid, signal))) ? 'reaped' : 'survived';
  }
  return 'gone';
}

async function terminate(
  pid: number,
  options: ReapOptions,
  platform: NodeJS.Platform,
  signal: (signal: NodeJS.Signals) => Promise<void> | void,
): Promise<boolean> {
  await signal('SIGTERM');
  if (await waitForTreeExit(pid, options.graceMs ?? 2_000, platform)) return true;
  await signal('SIGKILL');
  return (await waitForTreeExit(pid, options.killTimeoutMs ?? 2_000, platform)) && !isAlive(pid);
}

async function identify(record: PidRecord, platform: NodeJS.Platform): Promise<'ours' | 'not-ours' | 'unconfirmed'> {
  if (record.processStartTime !== undefined) {
    const current = processStartTime(record.pid, platform);
    if (current !== undefined) return current === record.processStartTime ? 'ours' : 'not-ours';
  }
  const actual = await commandLine(record.pid, platform);
  if (actual === undefined) return 'unconfirmed';
  return commandMatches(record.command, actual) ? 'ours' : 'not-ours';
}

/**
 * The recorded command matches if it is the whole command line, or its end: a `#!` script shows up
 * with its interpreter in front (`node /usr/local/bin/npx -y pkg` for `npx -y pkg`).
 */
export function commandMatches(recorded: string, actual: string): boolean {
  const want = recorded.trim().replace(/\s+/g, ' ');
  const have = actual.trim().replace(/\s+/g, ' ');
  if (!want) return false;
  if (have === want) return true;
  return have.endsWith(want) && ' /\\'.includes(have.charAt(have.length - want.length - 1));
}

/** The command line of a live process: `/proc` on Linux, `ps` on other POSIX systems, undefined on Windows. */
async function commandLine(pid: number, platform: NodeJS.Platform): Promise<string | undefined> {
  if (platform === 'win32') return undefined;
  if (platform === 'linux') {
    const raw = readText(`/proc/${pid}/cmdline`);
    return raw ? raw.split('\0').filter(Boolean).join(' ') : undefined;
  }
  return new Promise((resolve) => {
    execFile('ps', ['-ww', '-o', 'command=', '-p', String(pid)], { timeout: 5_000 }, (error, stdout) => {
      resolve(error || !stdout.trim() ? undefined : stdout.trim());
    });
  });
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
