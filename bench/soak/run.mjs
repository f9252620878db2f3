#!/usr/bin/env node
// Soak and chaos: the daemon and the peers (mcp-proxy, supergateway) under the same long load and
// the same random SIGKILLs of their upstream servers, side by side; then 10 MB answers beside small
// calls, and clients that leave mid-call; on request (`--phases stalled`), clients that stop reading. Everything on 127.0.0.1, every loop bounded, every
// process started is killed at the end (also on Ctrl-C).
//
//   npm run build && node bench/soak/run.mjs                   full run: 50 sessions, 10 minutes of soak (~20 min)
//   node bench/soak/run.mjs --quick                            smoke run: 45 s of soak, 2 MB answers (~3–4 min)
//   node bench/soak/run.mjs --minutes 3 --sessions 20 --only mcp-orch --json /tmp/soak.json
//   node bench/soak/run.mjs --phases stalled                   clients that stop reading (~1 min per row)
//
// See bench/soak/README.md for the method and what each figure means.
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { provenance, provenanceLine } from '../provenance.mjs';
import { killEverything, leftovers, runBench, silenceAbortListenerWarnings } from '../proxy/processes.mjs';
import { bigRows, measureBigRow } from './big-responses.mjs';
import { measureCancellation } from './cancellation.mjs';
import { classifyLoad, downWindows } from './classify.mjs';
import { compareSnapshots } from './heap-snapshot.mjs';
import { runChaos } from './chaos.mjs';
import { killMatching, stopAndFindOrphans } from './lifecycle.mjs';
import { runLoad } from './load.mjs';
import { printReport } from './report.mjs';
import { now, sleep } from './rng.mjs';
import { startSampler, summariseSamples } from './sampler.mjs';
import { PEER_ROWS, startTargets } from './soak-targets.mjs';
import { measureStalled } from './stalled.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const ALL_ROWS = ['mcp-orch', ...PEER_ROWS];
const PHASES = ['big', 'cancel', 'soak', 'stalled'];
/** What runs without `--phases`: the stalled clients (~1 min per row) only on request. */
const DEFAULT_PHASES = ['big', 'cancel', 'soak'];
/** The rows the stalled-client phase measures: those with a Streamable HTTP endpoint. */
const STALLED_ROWS = ['mcp-orch', 'supergateway Streamable', 'mcp-proxy Streamable'];

const PROFILES = {
  full: {
    minutes: 10,
    sessions: 50,
    warmupMs: 60_000,
    sampleMs: 5_000,
    firstKillMs: 30_000,
    killEveryMs: [20_000, 40_000],
    quietEndMs: 20_000,
    thinkMs: [200, 1_000],
    sleepMs: [50, 500],
    sleepShare: 0.3,
    hangMs: 30_000,
    bigSeconds: 10,
    bigSmallSessions: 8,
    bigBytes: 10_000_000,
    cancelTrials: 3,
    workMs: 4_000,
  },
  quick: {
    minutes: 0.75,
    sessions: 20,
    warmupMs: 10_000,
    sampleMs: 2_000,
    firstKillMs: 8_000,
    killEveryMs: [6_000, 10_000],
    quietEndMs: 8_000,
    thinkMs: [200, 1_000],
    sleepMs: [50, 500],
    sleepShare: 0.3,
    hangMs: 15_000,
    bigSeconds: 2,
    bigSmallSessions: 4,
    bigBytes: 2_000_000,
    cancelTrials: 1,
    workMs: 2_000,
  },
};

/** Paths unique to this run that every fixture command line holds: what Ctrl-C kills. */
const needles = new Set();
let scratchDir;

function readOptions() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      minutes: { type: 'string' },
      sessions: { type: 'string' },
      seed: { type: 'string', default: '1' },
      only: { type: 'string' },
      phases: { type: 'string', default: DEFAULT_PHASES.join(',') },
      'big-bytes': { type: 'string' },
      'stalled-posts': { type: 'string', default: '20' },
      'stalled-bytes': { type: 'string', default: '10000000' },
      'stalled-seconds': { type: 'string', default: '40' },
      'work-ms': { type: 'string' },
      'leave-after-ms': { type: 'string' },
      'heap-snapshots': { type: 'boolean', default: false },
      json: { type: 'string' },
      'orch-root': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'usage: node bench/soak/run.mjs [--quick] [--minutes N] [--sessions N] [--seed N] [--only <row,...>] [--phases big,cancel,soak,stalled] [--big-bytes N] [--work-ms N] [--leave-after-ms N] [--stalled-posts N] [--stalled-bytes N] [--stalled-seconds N] [--heap-snapshots] [--orch-root <built checkout>] [--json <file>]',
    );
    console.log(`rows: ${ALL_ROWS.join(', ')}`);
    process.exit(0);
  }
  const profile = { ...(values.quick ? PROFILES.quick : PROFILES.full) };
  const number = (name, value, min, max) => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min || parsed > max) throw new Error(`--${name} must be ${min}..${max}`);
    return parsed;
  };
  if (values.minutes !== undefined) profile.minutes = number('minutes', values.minutes, 0.25, 120);
  if (values.sessions !== undefined) profile.sessions = Math.round(number('sessions', values.sessions, 1, 500));
  // The cancellation trials' work: longer than the daemon's 30 s resume grace shows what a dropped Streamable client leads to.
  if (values['work-ms'] !== undefined) profile.workMs = Math.round(number('work-ms', values['work-ms'], 100, 600_000));
  // How long a cancellation trial's client waits, once the work started, before it leaves (default 0).
  if (values['leave-after-ms'] !== undefined)
    profile.leaveAfterMs = Math.round(number('leave-after-ms', values['leave-after-ms'], 0, 60_000));
  // A short run keeps a warm-up of a sixth of its length, so that there are samples to fit.
  profile.warmupMs = Math.min(profile.warmupMs, (profile.minutes * 60_000) / 6);
  const only = values.only
    ?.split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const rows = ALL_ROWS.filter((row) => !only || only.some((wanted) => row.toLowerCase().startsWith(wanted)));
  if (rows.length === 0) throw new Error(`--only matched no row; rows: ${ALL_ROWS.join(', ')}`);
  const phases = values.phases.split(',').map((phase) => phase.trim());
  for (const phase of phases)
    if (!PHASES.includes(phase)) throw new Error(`--phases: unknown phase ${phase}; phases: ${PHASES.join(', ')}`);
  return {
    quick: values.quick,
    profile,
    rows,
    phases,
    seed: number('seed', values.seed, 0, 2 ** 31),
    bigBytes: values['big-bytes'] === undefined ? profile.bigBytes : number('big-bytes', values['big-bytes'], 1, 32 * 1024 * 1024),
    stalled: {
      posts: Math.round(number('stalled-posts', values['stalled-posts'], 1, 200)),
      bytes: Math.round(number('stalled-bytes', values['stalled-bytes'], 1, 32 * 1024 * 1024)),
      seconds: number('stalled-seconds', values['stalled-seconds'], 2, 600),
    },
    json: values.json,
    // The daemon of another built checkout (a before/after on the same bench); default this one.
    orchRoot: values['orch-root'] === undefined ? repoRoot : resolve(values['orch-root']),
    heapSnapshots: values['heap-snapshots'],
  };
}

function loadText() {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

function log(message) {
  process.stderr.write(`${message}\n`);
}

async function start(ctx, rows) {
  const { started, failed } = await startTargets(ctx, rows);
  for (const instance of started) needles.add(instance.logNeedle);
  for (const { name, error } of failed) log(`  ${name}: could not start: ${error}`);
  return { started, failed };
}

async function stopAll(instances) {
  const stops = {};
  for (const instance of instances) stops[instance.name] = await stopAndFindOrphans(instance);
  return stops;
}

/** Phase 1: 10 MB answers beside small calls (one row at a time), then clients that leave mid-call. */
async function measureShortPhases(ctx, options) {
  const { profile } = options;
  const { started, failed } = await start(ctx, options.rows);
  const result = { failedToStart: failed, big: {}, cancel: {} };
  try {
    if (options.phases.includes('big')) {
      for (const instance of started) {
        result.big[instance.name] = [];
        for (const row of bigRows(instance)) {
          log(
            `  ${instance.name} ${row.label}: small calls alone, then beside ${options.bigBytes.toLocaleString('en-US')}-byte answers (${profile.bigSeconds} s each)…`,
          );
          const measured = await measureBigRow(instance, row, {
            smallSessions: profile.bigSmallSessions,
            seconds: profile.bigSeconds,
            bigBytes: options.bigBytes,
            hangMs: profile.hangMs,
          }).catch((error) => ({ label: row.label, error: String(error?.message ?? error).slice(0, 200) }));
          result.big[instance.name].push(measured);
        }
      }
    }
    if (options.phases.includes('cancel')) {
      for (const instance of started) {
        log(`  ${instance.name}: clients leaving mid-call, ${profile.cancelTrials} trial(s) of every combination…`);
        result.cancel[instance.name] = await measureCancellation(instance, {
          trials: profile.cancelTrials,
          workMs: profile.workMs,
          hangMs: profile.hangMs,
          leaveAfterMs: profile.leaveAfterMs,
        });
      }
    }
  } finally {
    result.stops = await stopAll(started);
  }
  return result;
}

/**
 * With `--heap-snapshots`: the daemon's live heap after warm-up and shortly before the load ends,
 * both under the same load. Resolves with the comparison, or undefined when not asked.
 */
async function watchHeap(instances, firstAt, lastAt, stop) {
  const daemon = instances.find((instance) => instance.heapSnapshot);
  if (!daemon) return undefined;
  const at = async (t) => {
    while (now() < t && !stop.requested) await sleep(Math.min(500, t - now()));
    const taken = now();
    return { taken, summary: await daemon.heapSnapshot() };
  };
  try {
    const first = await at(firstAt);
    const last = await at(lastAt);
    return compareSnapshots(first.summary, last.summary, (last.taken - first.taken) / 60_000);
  } catch (error) {
    return { error: String(error?.message ?? error).slice(0, 200) };
  }
}

/** Phase 2: the soak, every target at once, with the same kills. */
async function measureSoak(ctx, options) {
  const { profile } = options;
  const { started, failed } = await start(ctx, options.rows);
  const result = { failedToStart: failed, targets: {} };
  const stop = { requested: false };
  try {
    const begin = now();
    const deadline = begin + profile.minutes * 60_000;
    log(
      `  soak: ${started.length} target(s) for ${profile.minutes} min, kills from ${profile.firstKillMs / 1000} s every ${profile.killEveryMs.map((ms) => ms / 1000).join('–')} s…`,
    );
    const sampler = startSampler(started, profile.sampleMs);
    const progress = setInterval(
      () => log(`  soak: ${((now() - begin) / 60_000).toFixed(1)} of ${profile.minutes} min; load average ${loadText()}`),
      60_000,
    );
    const chaos = runChaos(started, {
      seed: options.seed,
      start: begin,
      firstAtMs: profile.firstKillMs,
      everyMs: profile.killEveryMs,
      lastAt: deadline - profile.quietEndMs,
      stop,
    });
    const heap = watchHeap(started, begin + profile.warmupMs, deadline - profile.quietEndMs / 2, stop);
    const loads = await Promise.all(
      started.map((instance) => {
        const sessions = instance.product === 'mcp-orch' ? profile.sessions : Math.max(1, Math.round(profile.sessions / 2));
        return runLoad(instance, { sessions, deadline, seed: options.seed, profile, stop });
      }),
    );
    const { kills, skipped } = await chaos;
    result.heap = await heap;
    clearInterval(progress);
    const loadEnd = now();
    // Restarts still under way when the load ended are read from the logs after a short wait.
    await sleep(2_000);
    const series = sampler.stop();
    result.kills = kills;
    result.skippedKills = skipped;
    started.forEach((instance, index) => {
      const windows = downWindows(instance, kills);
      const sessions = instance.product === 'mcp-orch' ? profile.sessions : Math.max(1, Math.round(profile.sessions / 2));
      result.targets[instance.name] = {
        sessions,
        durationMs: loadEnd - begin,
        ...classifyLoad(instance, loads[index], kills, windows),
        windows,
        memory: summariseSamples(series.get(instance.name), { warmupUntil: begin + profile.warmupMs, endAt: loadEnd }),
        samples: series
          .get(instance.name)
          .map(({ t, rss, fds, processes }) => ({ s: Math.round((t - begin) / 100) / 10, rss, fds, processes })),
      };
    });
  } finally {
    result.stops = await stopAll(started);
  }
  return result;
}

/** Phase 3: clients that stop reading, one row at a time, each on a freshly started target. */
async function measureStalledPhase(ctx, options) {
  const { posts, bytes, seconds } = options.stalled;
  const result = { failedToStart: [], targets: {}, stops: {}, skippedRows: options.rows.filter((row) => !STALLED_ROWS.includes(row)) };
  for (const name of options.rows.filter((row) => STALLED_ROWS.includes(row))) {
    const { started, failed } = await start(ctx, [name]);
    result.failedToStart.push(...failed);
    try {
      for (const instance of started) {
        log(
          `  ${instance.name}: ${posts} POSTs of ${bytes.toLocaleString('en-US')}-character answers on one session, never read, for ${seconds} s…`,
        );
        result.targets[instance.name] = await measureStalled(instance, { posts, bytes, seconds }).catch((error) => ({
          error: String(error?.message ?? error).slice(0, 200),
        }));
      }
    } finally {
      Object.assign(result.stops, await stopAll(started));
    }
  }
  return result;
}

async function main() {
  const options = readOptions();
  if (options.rows.includes('mcp-orch') && !existsSync(join(options.orchRoot, 'dist')))
    throw new Error(`${join(options.orchRoot, 'dist')} is missing: run \`npm run build\` first`);
  const tmpDir = await mkdtemp(join(tmpdir(), 'mcp-orch-soak-'));
  scratchDir = tmpDir;
  const ctx = {
    repoRoot,
    orchRoot: options.orchRoot,
    tmpDir,
    fixturePath: join(repoRoot, 'main/core/mcp/__fixtures__/soak-server.mjs'),
    loopbackPreload: pathToFileURL(join(repoRoot, 'bench/proxy/loopback-only.mjs')).href,
    orchToken: randomBytes(24).toString('hex'),
    heapSnapshots: options.heapSnapshots,
  };
  const meta = {
    ...provenance(repoRoot),
    loadAverageBefore: loadavg(),
    seed: options.seed,
    rows: options.rows,
    phases: options.phases,
    bigBytes: options.bigBytes,
    stalledSettings: options.phases.includes('stalled') ? options.stalled : undefined,
    profile: options.profile,
    heapSnapshots: options.heapSnapshots,
    orchRoot: options.orchRoot === repoRoot ? undefined : options.orchRoot,
  };
  log(`soak bench: ${provenanceLine(meta)}; ${options.rows.join(', ')}`);
  const results = { ...meta };
  try {
    if (options.phases.includes('big') || options.phases.includes('cancel')) {
      log('[1/3] large answers and clients that leave mid-call');
      results.short = await measureShortPhases(ctx, options);
    }
    if (options.phases.includes('soak')) {
      log('[2/3] soak with random kills');
      results.soak = await measureSoak(ctx, options);
    }
    if (options.phases.includes('stalled')) {
      log('[3/3] clients that stop reading');
      results.stalled = await measureStalledPhase(ctx, options);
    }
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
  results.loadAverageAfter = loadavg();
  results.leftovers = leftovers();
  printReport(results);
  if (results.leftovers.length > 0) killEverything();
  if (options.json) {
    const file = resolve(options.json);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(results, (key, value) => (value === Infinity ? 'never' : value), 1)}\n`);
    console.log(`\nraw results written to ${file}`);
  }
}

silenceAbortListenerWarnings();

function cleanUpNow() {
  killEverything();
  for (const needle of needles) killMatching(needle);
  if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
}

runBench(main, cleanUpNow);
