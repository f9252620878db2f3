// Server processes for the proxy benchmark: start, wait until ready, measure memory, stop.
//
// Every process is spawned detached (its own process group) and recorded in a registry, so the
// whole tree can be killed at the end, on error and on Ctrl-C. Some peers spawn their children in a
// process group of their own, so stopping also signals every descendant found under /proc.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';

const OUTPUT_LINES_KEPT = 200;
const STOP_GRACE_MS = 3_000;

/** Every pid (and its start time) this benchmark may have to kill; a pid is checked before it is signalled. */
const registry = new Map();

/** Reads `/proc/<pid>/stat`: parent pid, state and start time, or undefined when the process is gone. */
function readStat(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], ppid: Number(fields[1]), pgid: Number(fields[2]), startTime: fields[19] };
  } catch {
    return undefined;
  }
}

/** Whether `pid` runs (not a zombie), and is still the process that had `startTime` when one is given. */
export function isAlive(pid, startTime) {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z' && (startTime === undefined || stat.startTime === startTime);
}

function childrenOf(pid) {
  const found = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (text) found.push(...text.split(' ').map(Number));
    }
  } catch {
    // the process exited while we looked
  }
  return found;
}

/** The pid and all its live descendants. */
export function processTree(rootPid) {
  const tree = [];
  const queue = [rootPid];
  while (queue.length > 0 && tree.length < 10_000) {
    const pid = queue.shift();
    if (!isAlive(pid)) continue;
    tree.push(pid);
    queue.push(...childrenOf(pid));
  }
  return tree;
}

function readMemoryKb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    const rss = /VmRSS:\s+(\d+) kB/.exec(status);
    return { hwm: hwm ? Number(hwm[1]) : 0, rss: rss ? Number(rss[1]) : 0 };
  } catch {
    return { hwm: 0, rss: 0 };
  }
}

/**
 * Samples the memory of the process trees under `rootPids()` when started, on each `sample()` and
 * at `stop()`. No timer is needed: VmHWM is each process's own peak, so a sample misses no spike.
 * `peakHwmMb`: the largest sum, over one sample, of VmHWM (each process's own peak RSS) of the
 * processes alive at that moment; `peakRootHwmMb` the same for the root processes alone (the
 * gateway without its children). `peakRssMb`: the largest sampled sum of current VmRSS.
 */
export function startMemorySampler(rootPids) {
  let peakHwmKb = 0;
  let peakRssKb = 0;
  let peakRootHwmKb = 0;
  let peakProcesses = 0;
  const sample = () => {
    const roots = rootPids();
    const pids = new Set(roots.flatMap((pid) => processTree(pid)));
    let hwm = 0;
    let rss = 0;
    let rootHwm = 0;
    for (const pid of pids) {
      registerDescendant(pid);
      const memory = readMemoryKb(pid);
      hwm += memory.hwm;
      rss += memory.rss;
      if (roots.includes(pid)) rootHwm += memory.hwm;
    }
    peakHwmKb = Math.max(peakHwmKb, hwm);
    peakRootHwmKb = Math.max(peakRootHwmKb, rootHwm);
    peakRssKb = Math.max(peakRssKb, rss);
    peakProcesses = Math.max(peakProcesses, pids.size);
  };
  sample();
  return {
    sample,
    stop() {
      sample();
      return { peakHwmMb: peakHwmKb / 1024, peakRootHwmMb: peakRootHwmKb / 1024, peakRssMb: peakRssKb / 1024, peakProcesses };
    },
  };
}

function registerDescendant(pid) {
  if (registry.has(pid)) return;
  const stat = readStat(pid);
  if (stat) registry.set(pid, { startTime: stat.startTime, group: false });
}

/** Records a process started by someone else (the SDK's stdio transport) so cleanup can find it. */
export function registerProcess(pid) {
  registerDescendant(pid);
}

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Spawns `command args` detached, with stdin ignored and output kept (the last lines) for errors.
 * `waitForOutput(regex, timeoutMs)` resolves with the match once a line of output matches.
 */
export function startProcess({ name, command, args, env, cwd }) {
  const child = spawn(command, args, { cwd, env, detached: true, shell: false, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`${name}: could not spawn ${command}`);
  registry.set(child.pid, { startTime: readStat(child.pid)?.startTime, group: true });
  const lines = [];
  const watchers = new Set();
  let exit;
  const onLine = (line) => {
    lines.push(line);
    if (lines.length > OUTPUT_LINES_KEPT) lines.shift();
    for (const watcher of watchers) watcher(line);
  };
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      buffered += chunk;
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      if (buffered.length > 64 * 1024) buffered = buffered.slice(-64 * 1024);
      parts.forEach(onLine);
    });
  }
  child.on('exit', (code, signal) => {
    exit = { code, signal, at: Date.now() };
    for (const watcher of watchers) watcher(undefined);
  });

  return {
    name,
    pid: child.pid,
    output: () => lines.join('\n'),
    exited: () => exit,
    waitForOutput(pattern, timeoutMs) {
      const seen = lines.map((line) => pattern.exec(line)).find(Boolean);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const done = (error, match) => {
          clearTimeout(timer);
          watchers.delete(watcher);
          if (error) reject(error);
          else resolve(match);
        };
        const timer = setTimeout(() => done(new Error(`${name}: not ready after ${timeoutMs} ms\n${tail(lines)}`)), timeoutMs);
        const watcher = (line) => {
          if (line === undefined) {
            done(new Error(`${name}: exited (${JSON.stringify(exit)}) before it was ready\n${tail(lines)}`));
            return;
          }
          const match = pattern.exec(line);
          if (match) done(undefined, match);
        };
        watchers.add(watcher);
      });
    },
    stop: () => stopTree(child.pid),
  };
}

function tail(lines) {
  return lines.slice(-15).join('\n');
}

function signalTree(rootPid, pids, signal) {
  try {
    process.kill(-rootPid, signal);
  } catch {
    // the group is already gone
  }
  for (const pid of pids) {
    const entry = registry.get(pid);
    if (!isAlive(pid, entry?.startTime)) continue;
    try {
      process.kill(pid, signal);
    } catch {
      // exited meanwhile
    }
  }
}

/** SIGTERM the process group and every descendant; SIGKILL whatever is left after a grace period. */
export async function stopTree(rootPid) {
  const pids = processTree(rootPid);
  pids.forEach(registerDescendant);
  signalTree(rootPid, pids, 'SIGTERM');
  const deadline = Date.now() + STOP_GRACE_MS;
  while (pids.some((pid) => isAlive(pid, registry.get(pid)?.startTime)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  signalTree(rootPid, pids, 'SIGKILL');
  for (const pid of pids) registry.delete(pid);
}

/** Synchronous last resort (exit handlers): SIGKILL every recorded process that is still alive. */
export function killEverything() {
  for (const [pid, entry] of registry) {
    if (entry.group) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    if (isAlive(pid, entry.startTime)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
}

/** Recorded processes that are still alive (should be none at the end of a run). */
export function leftovers() {
  return [...registry].filter(([pid, entry]) => isAlive(pid, entry.startTime)).map(([pid]) => pid);
}

/**
 * Runs a bench's `main` so that every process it started is gone however it ends: `cleanUp`
 * (synchronous; it should call killEverything) runs on exit, on SIGINT, SIGTERM and SIGHUP (then
 * exit 130) and after an error (exit code 1).
 */
export function runBench(main, cleanUp) {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      process.stderr.write(`${signal}: stopping every process started…\n`);
      cleanUp();
      process.exit(130);
    });
  }
  process.on('exit', cleanUp);
  main().catch((error) => {
    console.error(error);
    cleanUp();
    process.exitCode = 1;
  });
}

/**
 * undici's fetch adds an abort listener to the SDK client transport's session-long signal on every
 * POST and drops it only when the request is garbage-collected, so thousands of calls on one session
 * trip Node's leak warning. Client-side noise, the same for every target: kept off the output.
 */
export function silenceAbortListenerWarnings() {
  const emitWarning = process.emitWarning;
  process.emitWarning = function emitWarningUnlessAbortListeners(warning, ...rest) {
    if (String(warning?.message ?? warning).includes('abort listeners added to [AbortSignal]')) return;
    return emitWarning.call(process, warning, ...rest);
  };
}

/** A clean environment for a daemon under bench: its own home, no login-shell PATH lookup, `token` as its bootstrap token. */
export function daemonEnv(home, token) {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    NODE_ENV: 'production',
    MCP_ORCH_HOME: home,
    MCP_ORCH_LOGIN_SHELL_PATH: '0',
    MCP_ORCH_TOKEN: token,
  };
}
