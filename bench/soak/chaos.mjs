// Random SIGKILLs of the upstream server processes, the same schedule for every target: the kill
// times and the random draw that picks the victim come from one seeded source, so each target
// loses a server at the same moments (a peer has one server, so its draw always picks it).
import { commandLine } from './proc-stats.mjs';
import { createRng, now, sleep } from './rng.mjs';

/**
 * The daemon gives a server up (`failed`, not restarted) after 5 crashes within 5 minutes, by
 * design. The soak measures crashes the daemon recovers from, so it kills a server at most 4 times
 * within any 5 minutes and picks another one, or skips the round, when that would exceed it.
 */
export const KILL_GUARD = { maxKills: 4, windowMs: 5 * 60_000 };

async function killOne(instance, draw, kills, skipped, round) {
  let upstreams;
  try {
    upstreams = await instance.upstreams();
  } catch (error) {
    skipped.push({
      target: instance.name,
      round,
      t: now(),
      reason: `no list of upstream processes: ${String(error?.message ?? error).slice(0, 120)}`,
    });
    return;
  }
  const t = now();
  const eligible = upstreams.filter(
    ({ server }) =>
      kills.filter((kill) => kill.target === instance.name && kill.server === server && t - kill.t < KILL_GUARD.windowMs).length <
      KILL_GUARD.maxKills,
  );
  if (eligible.length === 0) {
    const reason =
      upstreams.length === 0
        ? instance.proc.exited()
          ? 'the gateway has exited'
          : 'no upstream process running'
        : 'every server was killed 4 times in the last 5 min';
    skipped.push({ target: instance.name, round, t, reason });
    return;
  }
  const victim = eligible[Math.floor(draw * eligible.length)];
  // Never signal a pid that is not this target's fixture (it may have exited and been reused).
  if (!commandLine(victim.pid).includes(instance.logNeedle)) {
    skipped.push({ target: instance.name, round, t, reason: `pid ${victim.pid} is no longer the fixture` });
    return;
  }
  try {
    process.kill(victim.pid, 'SIGKILL');
    kills.push({ target: instance.name, round, server: victim.server, pid: victim.pid, t: now() });
  } catch (error) {
    skipped.push({ target: instance.name, round, t, reason: `kill ${victim.pid}: ${error.code ?? error.message}` });
  }
}

/**
 * Kills one upstream process of every target at random moments from `firstAtMs` after `start`,
 * then every `everyMs[0]..everyMs[1]`, until `lastAt` (ms, wall clock) or `stop.requested`.
 * Resolves with the kills done and the rounds skipped (with why).
 */
export async function runChaos(instances, { seed, start, firstAtMs, everyMs, lastAt, stop }) {
  const rng = createRng(seed ^ 0x5eed);
  const kills = [];
  const skipped = [];
  let at = start + firstAtMs;
  for (let round = 0; round < 10_000 && at <= lastAt; round += 1) {
    while (now() < at) {
      if (stop.requested) return { kills, skipped };
      await sleep(Math.min(250, at - now()));
    }
    const draw = rng.next();
    await Promise.all(instances.map((instance) => killOne(instance, draw, kills, skipped, round)));
    at += rng.int(everyMs[0], everyMs[1]);
  }
  return { kills, skipped };
}
