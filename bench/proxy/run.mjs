#!/usr/bin/env node
// Proxy benchmark: mcp-orch against the floors (stdio direct, the SDK's own HTTP transports) and
// the peers (supergateway, mcp-proxy, mcp-hub), all serving the same echo fixture on 127.0.0.1.
//
//   npm run bench:proxy                      full run (builds first)
//   node bench/proxy/run.mjs --quick         smoke run
//   node bench/proxy/run.mjs --only mcp-orch,"SDK native" --json bench/results/proxy-<commit>.json
//
// See bench/proxy/README.md for what each figure means.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { closeLevel, openLevel, openSleepSession, runBlock, runLevel, runSleepFanout } from './client-load.mjs';
import { runRawLoad } from './http-load.mjs';
import { killEverything, leftovers, runBench, silenceAbortListenerWarnings, startMemorySampler } from './processes.mjs';
import { provenance, provenanceLine } from '../provenance.mjs';
import { baselineRatios, clientTable, floorRatios, median, medianRows, peerComparison, rawTable, rowNotes } from './report.mjs';
import { allTargets } from './targets.mjs';
import { randomBytes } from 'node:crypto';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const LEVELS = [1, 10, 50];
/** Removed on exit, also on Ctrl-C. */
let scratchDir;

const PROFILES = {
  full: {
    processWarmupCalls: 3000,
    calls: 2000,
    blocks: 5,
    warmupCalls: 200,
    sleepRepeats: 5,
    levelDeadlineMs: 120_000,
    rawDurationSec: 10,
    rawWarmupSec: 2,
    rawConnections: 10,
  },
  quick: {
    processWarmupCalls: 300,
    calls: 300,
    blocks: 3,
    warmupCalls: 50,
    sleepRepeats: 3,
    levelDeadlineMs: 30_000,
    rawDurationSec: 3,
    rawWarmupSec: 1,
    rawConnections: 10,
  },
};

function readOptions() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      json: { type: 'string' },
      rounds: { type: 'string', default: '1' },
      baseline: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('usage: node bench/proxy/run.mjs [--quick] [--only <name,...>] [--rounds N] [--json <file>] [--baseline <checkout>]');
    console.log(
      `targets: ${allTargets()
        .map((target) => target.name)
        .join(', ')}`,
    );
    process.exit(0);
  }
  const only = values.only
    ?.split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 10) throw new Error('--rounds must be 1..10');
  return { quick: values.quick, only, json: values.json, rounds, baseline: values.baseline && baselineOf(values.baseline) };
}

/** Another checkout of mcp-orch, built (`dist/`), whose rows run beside this build's: a before/after in one run. */
function baselineOf(dir) {
  const root = resolve(dir);
  if (!existsSync(join(root, 'bin/mcp-orch.js')) || !existsSync(join(root, 'dist')))
    throw new Error(`--baseline ${root}: not a built mcp-orch checkout (bin/mcp-orch.js and dist/ expected)`);
  const label = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  return { root, label };
}

function selected(target, only) {
  if (!only) return true;
  const name = target.name.toLowerCase();
  return only.some((wanted) => name.startsWith(wanted));
}

function loadText() {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

function firstLine(error) {
  return String(error?.message ?? error)
    .split('\n')[0]
    .slice(0, 200);
}

/** The order of the targets in their `index`-th turn: A B C, then C B A, and so on. */
function inTurns(list, index) {
  return index % 2 === 0 ? list : [...list].reverse();
}

/**
 * The sleep test: 20 concurrent `sleep(100)` calls on one session, `sleepRepeats` times per target,
 * the targets taking turns like the level blocks. One sample is a ~110 ms wall time that moves by
 * several ms with whatever else the VM does; the row keeps the median and every sample.
 */
async function measureSleeps(live, profile) {
  process.stderr.write(`  sleep test: ${profile.sleepRepeats} × 20 concurrent sleep(100) on each of ${live.length} target(s)…\n`);
  const open = [];
  for (const entry of live) {
    try {
      open.push({ entry, sleeper: await openSleepSession(entry.instance), samples: [] });
    } catch (error) {
      entry.row.sleep = { error: firstLine(error) };
    }
  }
  try {
    for (let repeat = 0; repeat < profile.sleepRepeats; repeat += 1) {
      for (const turn of inTurns(open, repeat)) {
        turn.samples.push(await runSleepFanout(turn.sleeper, { count: 20, ms: 100 }));
      }
    }
  } finally {
    for (const { entry, sleeper, samples } of open) {
      await sleeper.close();
      entry.row.sleep = {
        wallMs: median(samples.map((sample) => sample.wallMs)),
        samplesMs: samples.map((sample) => sample.wallMs),
        wrong: samples.reduce((total, sample) => total + sample.wrong, 0),
        lost: samples.reduce((total, sample) => total + sample.lost, 0),
      };
    }
  }
}

/**
 * One round: every target is started, then each level is measured on all of them at once, in
 * blocks that take turns (A B C … then … C B A), so that every row meets the same machine: on a
 * shared VM, speed drifts by ±20 % within minutes, and rows measured one after the other would
 * carry that drift into every ratio. The sleep test follows, taking turns the same way, then the raw
 * load, one target at a time.
 */
async function measureRound(targets, ctx, profile) {
  const rows = [];
  const live = [];
  for (const target of targets) {
    const row = { name: target.name, group: target.group, transport: target.transport, status: 'ok', levels: [] };
    rows.push(row);
    if (target.unavailable) {
      Object.assign(row, { status: 'n/a', reason: target.unavailable });
      continue;
    }
    try {
      const instance = await target.start(ctx);
      // Sampled after every block, with no timer running in the client while other rows are measured.
      live.push({ target, row, instance, sampler: startMemorySampler(instance.pids) });
    } catch (error) {
      Object.assign(row, { status: 'n/a', reason: firstLine(error), detail: String(error?.message ?? error) });
    }
  }
  try {
    // Every target first serves the same sequential calls, unmeasured, so the levels compare
    // processes whose hot paths the JIT has compiled rather than how much code each has to warm.
    if (profile.processWarmupCalls > 0) {
      for (const { target, row, instance } of live) {
        process.stderr.write(`  ${target.name}: ${profile.processWarmupCalls} warm-up calls…\n`);
        row.warmup = await runLevel(instance, {
          clients: 1,
          calls: profile.processWarmupCalls,
          warmupCalls: 0,
          deadlineMs: profile.levelDeadlineMs,
          tag: `${target.name}:process-warm-up`,
        }).catch((error) => ({ error: firstLine(error) }));
      }
    }
    for (const clients of LEVELS) {
      process.stderr.write(`  ${clients} client(s): ${profile.blocks} blocks on each of ${live.length} target(s)…\n`);
      const open = [];
      for (const entry of live) {
        try {
          open.push({
            entry,
            level: await openLevel(entry.instance, {
              clients,
              warmupCalls: profile.warmupCalls,
              deadlineMs: profile.levelDeadlineMs,
              tag: `${entry.target.name}:${clients}`,
            }),
          });
        } catch (error) {
          entry.row.levels.push({ clients, error: firstLine(error) });
        }
      }
      const perClient = Math.max(1, Math.ceil(profile.calls / clients / profile.blocks));
      for (let block = 0; block < profile.blocks; block += 1) {
        for (const { entry, level } of inTurns(open, block)) {
          await runBlock(level, perClient);
          entry.sampler.sample();
        }
      }
      for (const { entry, level } of open) entry.row.levels.push(await closeLevel(level));
    }
    await measureSleeps(live, profile);
    for (const { target, row, instance } of live) {
      if (target.transport === 'streamable' || target.transport === 'modern') {
        process.stderr.write(`  ${target.name}: raw HTTP load…\n`);
        row.raw = await runRawLoad(instance.url, instance.toolName.echo, {
          connections: profile.rawConnections,
          durationSec: profile.rawDurationSec,
          warmupSec: profile.rawWarmupSec,
          headers: instance.headers,
          modern: target.transport === 'modern',
        }).catch((error) => ({ error: firstLine(error) }));
      }
    }
  } finally {
    for (const { row, instance, sampler } of live) {
      row.memory = sampler.stop();
      await instance.stop();
    }
  }
  return rows;
}

async function main() {
  const options = readOptions();
  const profile = options.quick ? PROFILES.quick : PROFILES.full;
  const tmpDir = await mkdtemp(join(tmpdir(), 'mcp-orch-bench-'));
  scratchDir = tmpDir;
  const ctx = {
    repoRoot,
    tmpDir,
    fixturePath: join(repoRoot, 'main/core/mcp/__fixtures__/echo-server.mjs'),
    loopbackPreload: pathToFileURL(join(here, 'loopback-only.mjs')).href,
    // The daemon requires a token on every endpoint: a fresh bootstrap token for this run.
    orchToken: process.env.MCP_ORCH_BENCH_TOKEN ?? randomBytes(24).toString('hex'),
  };
  const targets = allTargets(options.baseline).filter((target) => selected(target, options.only) || target.group === 'baseline');
  if (targets.length === 0)
    throw new Error(
      `--only matched no target; targets: ${allTargets()
        .map((target) => target.name)
        .join(', ')}`,
    );

  const meta = provenance(repoRoot);
  console.log(`proxy bench: ${provenanceLine(meta)}`);
  console.log(
    `proxy bench (${options.quick ? 'quick' : 'full'}, ${options.rounds} round(s)): Node ${process.version}, ${cpus().length} CPU(s), ` +
      `${profile.processWarmupCalls} warm-up calls per process, then ${profile.calls} calls per level after ${profile.warmupCalls} warm-up calls, ` +
      `in ${profile.blocks} blocks per target taking turns; load average before: ${loadText()}`,
  );
  const rounds = [];
  try {
    for (let round = 1; round <= options.rounds; round += 1) {
      process.stderr.write(`[round ${round}/${options.rounds}] starting ${targets.length} target(s)…\n`);
      rounds.push(await measureRound(targets, ctx, profile));
    }
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
  const rows = medianRows(rounds);
  console.log(
    `load average after: ${loadText()}${options.rounds > 1 ? `; figures are medians over ${options.rounds} rounds (RSS: the largest; bad: the sum)` : ''}`,
  );

  console.log(
    `\nSDK Client, echo calls (latency ms; calls/s; sleep = wall ms of 20 concurrent sleep(100) on one session, median of ${profile.sleepRepeats}; ` +
      'RSS = peak ΣVmHWM of the serving tree, gw = of the serving process alone; bad = wrong + lost answers)',
  );
  console.log(clientTable(rows, LEVELS));
  if (rows.some((row) => row.raw)) {
    console.log(
      `\nRaw HTTP (autocannon, ${profile.rawConnections} connections, ${profile.rawDurationSec} s; 2025: one initialised Streamable session; 2026-07-28: stateless requests)`,
    );
    console.log(rawTable(rows));
  }
  console.log(
    '\nmcp-orch ÷ HTTP floor (SDK native, same transport; Streamable also against the SDK with enableJsonResponse; 2026-07-28 against the SDK v2 server)',
  );
  console.log(floorRatios(rows, LEVELS, rounds).join('\n'));
  if (options.baseline) {
    console.log(`\nthis build ÷ ${options.baseline.label} (same transport; paired medians over the rounds)`);
    console.log(baselineRatios(rows, LEVELS, rounds, options.baseline.label).join('\n'));
  }
  console.log('\nmcp-orch vs peers (ahead = lower latency/RSS/wall, higher throughput, no more bad answers)');
  console.log(peerComparison(rows, LEVELS).join('\n'));
  const notes = rowNotes(rows);
  if (notes.length > 0) console.log(`\nNotes\n${notes.map((note) => `- ${note}`).join('\n')}`);

  const left = leftovers();
  if (left.length > 0) {
    console.log(`\nWARNING: processes still alive after the run, killing them: ${left.join(', ')}`);
    killEverything();
  }
  if (options.json) {
    const file = resolve(options.json);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(
      file,
      JSON.stringify(
        { ...meta, loadAverageAtEnd: loadavg(), baseline: options.baseline?.label, profile, levels: LEVELS, rows, rounds },
        null,
        2,
      ),
    );
    console.log(`\nraw figures written to ${file}`);
  }
}

silenceAbortListenerWarnings();

function cleanUpNow() {
  killEverything();
  if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
}

runBench(main, cleanUpNow);
