/**
 * CPU and memory of the servers' child processes, each with its descendants (an `npx` server's
 * real work runs in a grandchild). `pidusage` reads the figures (/proc on Linux, ps or wmic
 * elsewhere); descendants are found through /proc on Linux, and elsewhere only the child is counted.
 */
import { readFile } from 'node:fs/promises';
import pidusage from 'pidusage';

export interface ProcessSample {
  server: string;
  pid: number;
  cpuPercent: number;
  memoryBytes: number;
  processes: number;
}

/** Most descendants followed per server: a fork bomb does not make sampling unbounded. */
const MAX_TREE = 256;

/** Child pids of `pid` on Linux (every thread's `children` list), or none where /proc is absent. */
async function childrenOf(pid: number): Promise<number[]> {
  try {
    const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return text
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number)
      .filter((child) => Number.isInteger(child) && child > 0);
  } catch {
    return [];
  }
}

/** `pid` and its descendants, breadth first, at most `MAX_TREE`. */
export async function processTree(pid: number, platform: NodeJS.Platform = process.platform): Promise<number[]> {
  if (platform !== 'linux') return [pid];
  const tree = [pid];
  for (let index = 0; index < tree.length && tree.length < MAX_TREE; index++) {
    for (const child of await childrenOf(tree[index]!)) if (tree.length < MAX_TREE && !tree.includes(child)) tree.push(child);
  }
  return tree;
}

/** Samples each `{ server, pid }`; a process gone meanwhile is left out. */
export async function sampleProcesses(children: readonly { server: string; pid: number }[]): Promise<ProcessSample[]> {
  const trees = await Promise.all(children.map(async (child) => ({ ...child, tree: await processTree(child.pid) })));
  const pids = [...new Set(trees.flatMap((entry) => entry.tree))];
  if (pids.length === 0) return [];
  let stats: Record<string, pidusage.Status | undefined>;
  try {
    stats = await pidusage(pids);
  } catch {
    // One pid vanished between listing and sampling: sample one by one, skipping the dead.
    stats = {};
    for (const pid of pids) stats[pid] = await pidusage(pid).catch(() => undefined);
  }
  const samples: ProcessSample[] = [];
  for (const entry of trees) {
    const alive = entry.tree.map((pid) => stats[pid]).filter((stat): stat is pidusage.Status => stat !== undefined);
    if (!stats[entry.pid]) continue;
    samples.push({
      server: entry.server,
      pid: entry.pid,
      cpuPercent: Math.round(alive.reduce((sum, stat) => sum + (Number.isFinite(stat.cpu) ? stat.cpu : 0), 0) * 10) / 10,
      memoryBytes: Math.round(alive.reduce((sum, stat) => sum + stat.memory, 0)),
      processes: alive.length,
    });
  }
  return samples;
}
