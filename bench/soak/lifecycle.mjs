// Stopping a target the way a user does, and looking for what it left behind. The serving process
// alone gets SIGTERM (not its process group: a daemon that leaves its children behind must be seen
// doing it); a fixture process of the target still alive a few seconds after it exited is an orphan.
// Then everything of the target is killed, orphans included.
import { isAlive } from '../proxy/processes.mjs';
import { processesMatching } from './proc-stats.mjs';
import { now, sleep } from './rng.mjs';

const EXIT_TIMEOUT_MS = 15_000;
const CHILDREN_GRACE_MS = 3_000;

/** Stops `instance` with SIGTERM; resolves with how long it took, the fixtures before, and the orphans. */
export async function stopAndFindOrphans(instance) {
  const pid = instance.proc.pid;
  const upstreamsBefore = processesMatching(instance.logNeedle).length;
  const wasRunning = !instance.proc.exited();
  const start = now();
  if (wasRunning) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // exited meanwhile
    }
  }
  while (!instance.proc.exited() && isAlive(pid) && now() - start < EXIT_TIMEOUT_MS) await sleep(50);
  const exitMs = instance.proc.exited() || !isAlive(pid) ? now() - start : undefined;
  const graceEnd = now() + CHILDREN_GRACE_MS;
  let left = processesMatching(instance.logNeedle);
  while (left.length > 0 && now() < graceEnd) {
    await sleep(100);
    left = processesMatching(instance.logNeedle);
  }
  await instance.stop();
  killMatching(instance.logNeedle);
  return { wasRunning, exitMs, exit: instance.proc.exited(), upstreamsBefore, orphans: left };
}

/** SIGKILLs every process whose command line holds `needle` (a path unique to this run). */
export function killMatching(needle) {
  for (const { pid } of processesMatching(needle)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
