#!/usr/bin/env node
// Aggregate benchmark: the aggregated endpoint `/mcp` of a real `mcp-orch serve` daemon, with
// fixture servers as stdio children, everything on 127.0.0.1.
//
//   npm run build && node bench/aggregate/run.mjs           full run
//   node bench/aggregate/run.mjs --quick                     smoke run
//   node bench/aggregate/run.mjs --only overhead --cpu-prof /tmp/prof   profile the daemon
//
// See bench/aggregate/README.md for what each figure means.
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { provenance, provenanceLine } from '../provenance.mjs';
import { killEverything, leftovers, runBench } from '../proxy/processes.mjs';
import { callsSent, compareLog, waitForRows } from './call-log.mjs';
import { connectClient, describeDaemon, fixtureServers, startDaemon } from './daemon.mjs';
import { rawOverhead, sdkOverhead } from './overhead.mjs';
import { summariseProfiles } from './profile.mjs';
import { measureStartup } from './startup.mjs';
import { measureToolsList, waitForTools } from './tools-list.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const SECTIONS = ['list', 'startup', 'overhead'];
const TOOLS_PER_SERVER = 100;
const LOG_CATCH_UP_TIMEOUT_MS = 10_000;
/** The run's temporary folder (daemon homes), removed at the end, also on Ctrl-C. */
let runTmpDir;

const TARGETS = { listMs: 50, listTools: 5_000, overheadMs: 0.1 };

const PROFILES = {
  full: {
    list: { sizes: [10, 50], calls: 50, warmupCalls: 10 },
    startup: { servers: 10, runs: 3 },
    sdk: { calls: 3000, warmupCalls: 300, blockSize: 100 },
    raw: [
      { connections: 1, amount: 1500, warmup: 500, rounds: 4 },
      { connections: 10, amount: 5000, warmup: 1000, rounds: 4 },
    ],
  },
  quick: {
    list: { sizes: [10, 50], calls: 10, warmupCalls: 3 },
    startup: { servers: 10, runs: 1 },
    sdk: { calls: 300, warmupCalls: 50, blockSize: 50 },
    raw: [
      { connections: 1, amount: 150, warmup: 100, rounds: 4 },
      { connections: 10, amount: 500, warmup: 200, rounds: 4 },
    ],
  },
};

function readOptions() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      'cpu-prof': { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('usage: node bench/aggregate/run.mjs [--quick] [--only list,startup,overhead] [--cpu-prof <dir>] [--json <file>]');
    process.exit(0);
  }
  const only =
    values.only
      ?.split(',')
      .map((name) => name.trim())
      .filter(Boolean) ?? SECTIONS;
  const unknown = only.filter((name) => !SECTIONS.includes(name));
  if (unknown.length > 0) throw new Error(`--only: unknown section(s) ${unknown.join(', ')}; sections: ${SECTIONS.join(', ')}`);
  return { quick: values.quick, only, cpuProfDir: values['cpu-prof'] && resolve(values['cpu-prof']), json: values.json };
}

// ---- part 3 + 4: one daemon with echo and 10 × 100 tools ----

async function measureOverhead(ctx, profile) {
  const servers = fixtureServers(ctx, { count: 10, tools: TOOLS_PER_SERVER, echo: true });
  const daemon = await startDaemon(ctx, { label: 'overhead', servers });
  try {
    await daemon.ready();
    const probe = await connectClient(`${daemon.base}/mcp`);
    try {
      await waitForTools(probe.client, 10 * TOOLS_PER_SERVER + 2);
    } finally {
      await probe.close();
    }
    process.stderr.write(`  SDK client: ${profile.sdk.calls} + ${profile.sdk.calls} calls…\n`);
    const sdk = await sdkOverhead(daemon.base, profile.sdk);
    const raw = [];
    for (const settings of profile.raw) {
      process.stderr.write(`  autocannon, ${settings.connections} connection(s)…\n`);
      raw.push(await rawOverhead(daemon.base, settings));
    }
    const lastCallAt = performance.now();
    const paths = [...sdk.paths, ...raw.flatMap((entry) => entry.paths)];
    const sent = callsSent(paths);
    const expected = [...sent.values()].reduce((sum, count) => sum + count, 0);
    const live = await waitForRows(daemon.databasePath, { server: 'echo', expected, lastCallAt, timeoutMs: LOG_CATCH_UP_TIMEOUT_MS });
    await daemon.stop();
    const log = { ...compareLog(daemon.databasePath, { server: 'echo', sent }), live };
    return {
      sdk,
      raw,
      log,
      failures: paths
        .filter((target) => target.failed > 0)
        .map((target) => `${target.label}: ${target.failed} failed ${JSON.stringify(Object.fromEntries(target.errors)).slice(0, 300)}`),
    };
  } catch (error) {
    error.message += `\n${describeDaemon(daemon)}`;
    throw error;
  } finally {
    await daemon.stop();
  }
}

// ---- report ----

function ms(value, digits = 2) {
  return value === undefined || Number.isNaN(value) ? 'n/a' : `${value.toFixed(digits)} ms`;
}

function signed(value) {
  return `${value >= 0 ? '+' : ''}${value.toFixed(3)} ms`;
}

function kib(bytes) {
  return `${(bytes / 1024).toFixed(0)} KiB (${bytes.toLocaleString('en-US')} B)`;
}

function verdict(pass) {
  return pass ? 'PASS' : 'FAIL';
}

function table(rows) {
  const header = ['figure', 'value', 'target', 'result'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells) =>
    cells
      .map((cell, column) => (cell ?? '').padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

function listRows(list) {
  const rows = [];
  for (const entry of list) {
    const big = entry.tools >= TARGETS.listTools;
    const name = `${entry.tools.toLocaleString('en-US')} tools (${entry.servers}×${entry.toolsPerServer})`;
    rows.push([
      `tools/list ${name}, SDK client`,
      `p50 ${ms(entry.sdk.p50)}, p99 ${ms(entry.sdk.p99)}`,
      big ? `p50 < ${TARGETS.listMs} ms` : '',
      big ? verdict(entry.sdk.p50 < TARGETS.listMs) : '',
    ]);
    rows.push([`tools/list ${name}, raw HTTP`, `p50 ${ms(entry.raw.p50)}, p99 ${ms(entry.raw.p99)}`, '', '']);
    rows.push([
      `tools/list ${name}, client-side parse`,
      `JSON.parse ${ms(entry.clientParse.jsonParse)} + SDK schema ${ms(entry.clientParse.schema)} (p50)`,
      '',
      '',
    ]);
    rows.push([`tools/list ${name}, response size`, `${kib(entry.responseBytes)}, ${entry.contentType.split(';')[0]}`, '', '']);
  }
  return rows;
}

function startupRows(startup) {
  const each = (key) => startup.runs.map((run) => run[key].toFixed(0)).join(' / ');
  const label = `start, ${startup.servers}×${startup.toolsPerServer}, median of ${startup.runs.length}`;
  return [
    [`${label}: spawn → listening`, `${ms(startup.listeningMs, 0)}  (${each('listeningMs')})`, '', ''],
    [`${label}: spawn → "Press Ctrl-C"`, `${ms(startup.readyMs, 0)}  (${each('readyMs')})`, '', ''],
    [
      `${label}: spawn → tools/list has all ${startup.servers * startup.toolsPerServer}`,
      `${ms(startup.allToolsMs, 0)}  (${each('allToolsMs')})`,
      '',
      '',
    ],
  ];
}

function overheadRows({ sdk, raw, log }) {
  const rows = [];
  const sdkDiff = sdk.aggregate.p50 - sdk.direct.p50;
  rows.push([
    `echo, SDK client, /mcp/echo (${sdk.direct.count} calls)`,
    `p50 ${ms(sdk.direct.p50, 3)}, p99 ${ms(sdk.direct.p99, 3)}`,
    '',
    '',
  ]);
  rows.push([
    `echo, SDK client, /mcp echo__echo (${sdk.aggregate.count} calls)`,
    `p50 ${ms(sdk.aggregate.p50, 3)}, p99 ${ms(sdk.aggregate.p99, 3)}`,
    '',
    '',
  ]);
  rows.push([
    `echo, SDK client, p50 aggregate − direct`,
    `${signed(sdkDiff)}  (median of ${sdk.blocks} paired blocks: ${signed(sdk.medianBlockDiff)})`,
    `≤ ${TARGETS.overheadMs} ms`,
    verdict(sdkDiff <= TARGETS.overheadMs),
  ]);
  for (const entry of raw) {
    const label = `echo, autocannon c=${entry.connections}`;
    rows.push([
      `${label}, /mcp/echo`,
      `${entry.direct.requestsPerSec.toFixed(0)} req/s, p50 ${ms(entry.direct.p50, 3)}, p99 ${ms(entry.direct.p99, 3)}`,
      '',
      '',
    ]);
    rows.push([
      `${label}, /mcp echo__echo`,
      `${entry.aggregate.requestsPerSec.toFixed(0)} req/s, p50 ${ms(entry.aggregate.p50, 3)}, p99 ${ms(entry.aggregate.p99, 3)}`,
      '',
      '',
    ]);
    const diff = entry.aggregate.p50 - entry.direct.p50;
    const ratio = entry.aggregate.requestsPerSec / entry.direct.requestsPerSec;
    if (entry.connections === 1) {
      rows.push([`${label}, p50 aggregate − direct`, signed(diff), `≤ ${TARGETS.overheadMs} ms`, verdict(diff <= TARGETS.overheadMs)]);
    } else {
      rows.push([`${label}, aggregate ÷ direct`, `req/s ×${ratio.toFixed(3)}, p50 ${signed(diff)}`, '', '']);
    }
  }
  const { live } = log;
  rows.push([
    'call log: rows after the run / tools/call sent',
    `${log.rows.toLocaleString('en-US')} / ${log.sent.toLocaleString('en-US')}${log.mismatches.length ? ` (${log.mismatches.length} session(s) differ)` : ', every session exact'}`,
    'rows = calls',
    verdict(log.rows === log.sent && log.mismatches.length === 0),
  ]);
  rows.push([
    'call log: all rows committed after the last call',
    live.caughtUp ? `within ${ms(live.lagMs, 0)} (daemon still running)` : `only ${live.rows} after ${ms(live.lagMs, 0)}`,
    'caught up',
    verdict(live.caughtUp),
  ]);
  return rows;
}

async function main() {
  const options = readOptions();
  const profile = options.quick ? PROFILES.quick : PROFILES.full;
  if (!existsSync(join(repoRoot, 'dist/main/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const tmpDir = await mkdtemp(join(tmpdir(), 'mcp-orch-bench-aggregate-'));
  runTmpDir = tmpDir;
  if (options.cpuProfDir) await mkdir(options.cpuProfDir, { recursive: true });
  const ctx = {
    repoRoot,
    tmpDir,
    cpuProfDir: options.cpuProfDir,
    manyToolsPath: join(repoRoot, 'main/core/__fixtures__/many-tools.mjs'),
    echoPath: join(repoRoot, 'main/core/mcp/__fixtures__/echo-server.mjs'),
  };
  const started = { ...provenance(repoRoot), load: loadavg() };
  console.log(`aggregate bench: ${provenanceLine(started)}`);
  console.log(
    `aggregate bench (${options.quick ? 'quick' : 'full'}): Node ${process.version}, ${cpus().length} CPU(s), load average ${started.load.map((value) => value.toFixed(2)).join(' ')}, ${started.date}`,
  );
  const results = {};
  try {
    if (options.only.includes('list')) {
      results.list = [];
      for (const servers of profile.list.sizes) {
        process.stderr.write(`tools/list: ${servers} servers × ${TOOLS_PER_SERVER} tools…\n`);
        results.list.push(
          await measureToolsList(ctx, {
            servers,
            toolsPerServer: TOOLS_PER_SERVER,
            calls: profile.list.calls,
            warmupCalls: profile.list.warmupCalls,
          }),
        );
      }
    }
    if (options.only.includes('startup')) {
      process.stderr.write(`start-up: ${profile.startup.runs} cold start(s) with ${profile.startup.servers} servers…\n`);
      results.startup = await measureStartup(ctx, {
        servers: profile.startup.servers,
        toolsPerServer: TOOLS_PER_SERVER,
        runs: profile.startup.runs,
      });
    }
    if (options.only.includes('overhead')) {
      process.stderr.write('per-call overhead (echo + 10 × 100 tools)…\n');
      results.overhead = await measureOverhead(ctx, profile);
    }
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }

  const rows = [
    ...(results.list ? listRows(results.list) : []),
    ...(results.startup ? startupRows(results.startup) : []),
    ...(results.overhead ? overheadRows(results.overhead) : []),
  ];
  const end = loadavg();
  console.log(`\n${table(rows)}`);
  console.log(`\nload average at the end: ${end.map((value) => value.toFixed(2)).join(' ')}`);
  const notes = [
    ...(results.overhead?.failures ?? []),
    ...(results.overhead?.log.mismatches ?? [])
      .slice(0, 10)
      .map((entry) => `call log, session ${entry.sessionId}: ${entry.sent} sent, ${entry.rows} rows`),
  ];
  if (notes.length > 0) console.log(`\nNotes\n${notes.map((note) => `- ${note}`).join('\n')}`);
  if (options.cpuProfDir)
    console.log(`\nDaemon CPU profiles (${options.cpuProfDir})\n${(await summariseProfiles(options.cpuProfDir, repoRoot)).join('\n')}`);

  const left = leftovers();
  if (left.length > 0) {
    console.log(`\nWARNING: processes still alive after the run, killing them: ${left.join(', ')}`);
    killEverything();
  }
  if (options.json) {
    const file = resolve(options.json);
    await mkdir(dirname(file), { recursive: true });
    const serialisable = JSON.parse(JSON.stringify(results, (key, value) => (value instanceof Map ? Object.fromEntries(value) : value)));
    await writeFile(
      file,
      JSON.stringify(
        { ...started, endLoad: end, node: process.version, cpus: cpus().length, profile, targets: TARGETS, results: serialisable },
        null,
        2,
      ),
    );
    console.log(`\nraw figures written to ${file}`);
  }
}

function cleanUp() {
  killEverything();
  if (runTmpDir) rmSync(runTmpDir, { recursive: true, force: true });
}

runBench(main, cleanUp);
