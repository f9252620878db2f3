// What the soak reads from /proc about the processes under test: resident memory, open file
// descriptors, command lines. Linux only, like the rest of the bench.
import { readFileSync, readdirSync } from 'node:fs';

/** Current resident set of `pid` in MB (VmRSS), or undefined when it is gone. */
export function rssMb(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Peak resident set of `pid` in MB (VmHWM), or undefined when it is gone. */
export function hwmMb(pid) {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** How many file descriptors `pid` holds open (entries of /proc/<pid>/fd), or undefined when it is gone. */
export function fdCount(pid) {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return undefined;
  }
}

/** The command line of `pid` as one string (arguments joined by spaces), or '' when it is gone. */
export function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/**
 * Every live process whose command line contains `needle`, wherever it sits in the process tree:
 * a child whose parent died is re-parented and no longer found by walking down from its old parent.
 */
export function processesMatching(needle) {
  const found = [];
  let entries = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const command = commandLine(pid);
    if (command.includes(needle) && !isZombie(pid)) found.push({ pid, command });
  }
  return found;
}

function isZombie(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return true;
  }
}
