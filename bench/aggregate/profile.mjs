// Reads the V8 CPU profiles the daemons wrote (`--cpu-prof`) and names the hottest functions by
// self time, so a missed target says where the time went.
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';

const IGNORED = new Set(['(idle)', '(root)']);

function frameName(callFrame, repoRoot) {
  const name = callFrame.functionName || '(anonymous)';
  if (!callFrame.url) return name;
  const file = callFrame.url.startsWith('file://') ? relative(repoRoot, new URL(callFrame.url).pathname) : callFrame.url;
  return `${name} ${file}:${callFrame.lineNumber + 1}`;
}

/** Self time per function (ms), busiest first, and the busy total (everything but idle). */
export function selfTimes(profile, repoRoot) {
  const byNode = new Map();
  for (const node of profile.nodes) byNode.set(node.id, node);
  const byFunction = new Map();
  let busyMs = 0;
  profile.samples.forEach((nodeId, index) => {
    const node = byNode.get(nodeId);
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    if (!node || IGNORED.has(node.callFrame.functionName)) return;
    busyMs += ms;
    const key = frameName(node.callFrame, repoRoot);
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
  });
  const top = [...byFunction].sort((a, b) => b[1] - a[1]).map(([name, ms]) => ({ name, ms, share: ms / (busyMs || 1) }));
  return { busyMs, wallMs: (profile.endTime - profile.startTime) / 1000, top };
}

/** One summary per `.cpuprofile` in `dir`: the `limit` hottest functions. */
export async function summariseProfiles(dir, repoRoot, limit = 15) {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.cpuprofile')).sort();
  const lines = [];
  for (const file of files) {
    const profile = JSON.parse(await readFile(join(dir, file), 'utf8'));
    const { busyMs, wallMs, top } = selfTimes(profile, repoRoot);
    lines.push(`${file}: busy ${busyMs.toFixed(0)} ms of ${wallMs.toFixed(0)} ms wall; hottest by self time:`);
    for (const entry of top.slice(0, limit))
      lines.push(`  ${(entry.share * 100).toFixed(1).padStart(5)} %  ${entry.ms.toFixed(0).padStart(6)} ms  ${entry.name}`);
  }
  return lines;
}
