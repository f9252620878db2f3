/**
 * Signalling and probing whole process trees. On POSIX a server is spawned `detached`, so it leads
 * its own process group and the group id is its pid: signalling `-pid` reaches its descendants too
 * (unless one of them moved itself to another group or session). On Windows `taskkill /T` walks the
 * tree by parent pid.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Sends `signal` to the process group led by `pid`, or to `pid` alone if there is no such group.
 * On win32 runs `taskkill /pid <pid> /T /F` instead (the signal is ignored) and resolves when it
 * finishes. A process that is already gone (ESRCH) is not an error; other failures reject.
 */
export async function killTree(pid: number, signal: NodeJS.Signals, platform: NodeJS.Platform = process.platform): Promise<void> {
  assertPid(pid);
  if (platform === 'win32') {
    await taskkill(pid);
    return;
  }
  try {
    process.kill(-pid, signal);
    return;
  } catch (error) {
    if (!hasCode(error, 'ESRCH') && !hasCode(error, 'EPERM')) throw error;
  }
  try {
    process.kill(pid, signal);
  } catch (error) {
    if (!hasCode(error, 'ESRCH')) throw error;
  }
}

/**
 * POSIX only: sends `signal` to the process group `pgid` and nothing else (no fallback to the single
 * pid, which may already have been reused once its process was reaped). Returns false if the group
 * is gone or cannot be signalled.
 */
export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  assertPid(pgid);
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * True while `pid` exists (EPERM, i.e. someone else's process, counts as alive). On Linux a zombie,
 * which has exited and only waits to be reaped, counts as gone.
 */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (!hasCode(error, 'EPERM')) return false;
  }
  return process.platform !== 'linux' || readProcStat(String(pid))?.state !== 'Z';
}

/** True while any process of the group `pgid` is alive (on Linux: any that is not a zombie). */
export function isGroupAlive(pgid: number): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if (!hasCode(error, 'EPERM')) return false;
  }
  return process.platform !== 'linux' || hasLiveMember(pgid);
}

/**
 * Resolves true once no process of the group led by `pid` is alive, false if some still are after
 * `timeoutMs`. Polls (5 ms, doubling up to 100 ms): POSIX offers no way to wait for a group.
 * On win32 resolves true at once, as the tree cannot be enumerated there.
 */
export async function waitForTreeExit(pid: number, timeoutMs: number, platform: NodeJS.Platform = process.platform): Promise<boolean> {
  if (platform === 'win32') return true;
  const deadline = Date.now() + timeoutMs;
  let pause = 5;
  while (isGroupAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await delay(pause);
    pause = Math.min(pause * 2, 100);
  }
  return true;
}

function taskkill(pid: number): Promise<void> {
  const systemRoot = process.env.SystemRoot ?? 'C:\\Windows';
  const exe = path.win32.join(systemRoot, 'System32', 'taskkill.exe');
  return new Promise((resolve, reject) => {
    const child = spawn(exe, ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    child.once('error', reject);
    // Exit code 128 means "no such process": already gone, which is what we wanted.
    child.once('exit', () => resolve());
  });
}

/** Guards against pid 0 / -1 / NaN, which `kill(-pid)` would turn into "our own group" or "everyone". */
function assertPid(pid: number): void {
  if (!Number.isInteger(pid) || pid <= 1) throw new RangeError(`refusing to signal pid ${pid}`);
}

function hasLiveMember(pgid: number): boolean {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const name of names) {
    const first = name.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    const stat = readProcStat(name);
    if (stat && stat.pgrp === pgid && stat.state !== 'Z') return true;
  }
  return false;
}

interface ProcStat {
  state: string;
  pgrp: number;
}

/** Parses `/proc/<pid>/stat`: "pid (comm) state ppid pgrp ...", where comm may contain anything. */
function readProcStat(pid: string): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', pgrp: Number(fields[2]) };
}

function hasCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
