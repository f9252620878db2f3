// Samples, every few seconds, what each serving process holds: its own resident memory (VmRSS of
// the daemon or gateway alone, not its children), its open file descriptors, and how many
// processes its tree has. The slopes come from a least-squares line over the samples after warm-up.
import { processTree, registerProcess } from '../proxy/processes.mjs';
import { fdCount, rssMb } from './proc-stats.mjs';
import { now } from './rng.mjs';

/** Starts sampling every `intervalMs`; `stop()` takes a last sample and returns name → samples. */
export function startSampler(instances, intervalMs) {
  const series = new Map(instances.map((instance) => [instance.name, []]));
  const take = () => {
    const t = now();
    for (const instance of instances) {
      const pid = instance.proc.pid;
      const rss = rssMb(pid);
      const tree = rss === undefined ? [] : processTree(pid);
      // Recorded, so that a Ctrl-C kills the children too, even those in a process group of their own.
      tree.forEach(registerProcess);
      series.get(instance.name).push({ t, rss, fds: fdCount(pid), processes: tree.length });
    }
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    take,
    stop() {
      clearInterval(timer);
      take();
      return series;
    },
  };
}

/** Least-squares line through `points` ([x, y]): slope, intercept and r². Undefined for fewer than 3 points. */
export function linearFit(points) {
  if (points.length < 3) return undefined;
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const [x, y] of points) {
    sxx += (x - meanX) ** 2;
    sxy += (x - meanX) * (y - meanY);
    syy += (y - meanY) ** 2;
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  return { slope, intercept: meanY - slope * meanX, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}

/**
 * What the samples of one process say: memory and descriptors after warm-up (first, last, peak,
 * slope per minute) and the largest process tree. Samples taken after the process exited are left out.
 */
export function summariseSamples(samples, { warmupUntil, endAt }) {
  const alive = samples.filter((sample) => sample.rss !== undefined);
  const steady = alive.filter((sample) => sample.t >= warmupUntil && sample.t <= endAt);
  const summary = (key) => {
    if (steady.length === 0) return undefined;
    const values = steady.map((sample) => sample[key]);
    const fit = linearFit(steady.map((sample) => [(sample.t - steady[0].t) / 60_000, sample[key]]));
    return {
      first: values[0],
      last: values.at(-1),
      min: Math.min(...values),
      max: Math.max(...values),
      slopePerMin: fit?.slope,
      r2: fit?.r2,
    };
  };
  return {
    samples: steady.length,
    minutes: steady.length > 1 ? (steady.at(-1).t - steady[0].t) / 60_000 : 0,
    rssMb: summary('rss'),
    fds: summary('fds'),
    peakRssMb: alive.length ? Math.max(...alive.map((sample) => sample.rss)) : undefined,
    maxProcesses: alive.length ? Math.max(...alive.map((sample) => sample.processes)) : undefined,
    exitedAt: samples.find((sample) => sample.rss === undefined)?.t,
  };
}
