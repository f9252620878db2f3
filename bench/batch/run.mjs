#!/usr/bin/env node
// Batch benchmark: batch_execute of a real `mcp-orch serve --mode batch` daemon against the same
// calls made one by one and all at once by one client over the SDK, the scheduler's throughput, and
// the tokens an agent spends. Plans set no limits: they run with the defaults a user gets.
// Everything on 127.0.0.1; every process in its own process group, killed at the end.
//
//   npm run build && node bench/batch/run.mjs            full run (~1 min)
//   node bench/batch/run.mjs --quick                     smoke run
//   node bench/batch/run.mjs --json bench/results/batch-<commit>.json   every figure, with its provenance
//
// See bench/batch/README.md for what each figure means.
import { rmSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { tsImport } from 'tsx/esm/api';
import { killEverything, leftovers, startProcess } from '../proxy/processes.mjs';
import { provenance, provenanceLine } from '../provenance.mjs';
import { STEP_TIMEOUT_MS, batch, concurrent, connect, median, repoRoot, sequential, startDaemon, withTimeout } from './harness.mjs';
import { benchTokens } from './transcript.mjs';

const here = dirname(fileURLToPath(import.meta.url));

const PROFILES = {
  full: { repeats: 5, throughputCalls: 1000, throughputRepeats: 5, schedulerRepeats: 7 },
  quick: { repeats: 1, throughputCalls: 1000, throughputRepeats: 1, schedulerRepeats: 2 },
};

const { values: options } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, json: { type: 'string' }, help: { type: 'boolean', default: false } },
});
if (options.help) {
  console.log('usage: node bench/batch/run.mjs [--quick] [--json <file>]');
  process.exit(0);
}
const profile = options.quick ? PROFILES.quick : PROFILES.full;

let scratchDir;
function cleanup() {
  killEverything();
  if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
  scratchDir = undefined;
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanup();
    process.exit(130);
  });
}

const ms = (value) => `${value.toFixed(0)} ms`;
const int = (value) => Math.round(value).toLocaleString('en-US');
const log = (message) => process.stderr.write(`${message}\n`);

/**
 * Runs the ways in turns, `profile.repeats` rounds after one warm-up round, and keeps each one's
 * walls. A round runs every way once, so two ways' walls of one round are a pair (same moment of
 * the machine): their ratio is a paired ratio.
 */
async function inTurns(ways) {
  for (const run of Object.values(ways)) await run(); // warm-up
  const walls = Object.fromEntries(Object.keys(ways).map((name) => [name, []]));
  const outputs = Object.fromEntries(Object.keys(ways).map((name) => [name, undefined]));
  for (let round = 0; round < profile.repeats; round++) {
    for (const [name, run] of Object.entries(ways)) {
      const output = await run();
      walls[name].push(output.wall);
      outputs[name] ??= output;
    }
  }
  return { walls, outputs };
}

/** `a ÷ b` two ways: the ratio of the medians, and the median of the rounds' paired ratios. */
function ratios(a, b) {
  return { ofMedians: median(a) / median(b), pairedMedian: median(a.map((value, i) => value / b[i])) };
}

// ---------------------------------------------------------------- (a) 20 independent 100 ms calls

async function benchIndependent(client) {
  const count = 20;
  const sleepMs = 100;
  // No maxConcurrency: what an LLM writes, run with the default.
  const plan = { tasks: Array.from({ length: count }, (_, i) => ({ id: `s${i}`, tool: 'echo__sleep', arguments: { ms: sleepMs } })) };
  const calls = plan.tasks.map((task) => [task.tool, task.arguments]);
  const engine = [];
  const { walls } = await inTurns({
    sequential: () => sequential(client, calls),
    concurrent: () => concurrent(client, calls),
    batch: async () => {
      const run = await batch(client, plan);
      engine.push(run.report.wallTimeMs);
      return run;
    },
  });
  return {
    count,
    sleepMs,
    criticalPathMs: sleepMs,
    walls,
    medians: { sequential: median(walls.sequential), concurrent: median(walls.concurrent), batch: median(walls.batch) },
    engineWallMs: median(engine),
    sequentialOverBatch: ratios(walls.sequential, walls.batch),
    concurrentOverBatch: ratios(walls.concurrent, walls.batch),
  };
}

// ---------------------------------------------------------------- (b) fan-out 10 → join → fan-out 5

/** Durations of typical remote API calls (ms), deterministic so every run benches the same DAG. */
const FAN1 = [120, 85, 240, 60, 180, 310, 95, 150, 205, 70];
const JOIN_MS = 45;
const FAN2 = [130, 90, 220, 160, 75];
const textOf = (result) => result.content.map((item) => item.text).join('\n');

function dagPlan() {
  const tasks = FAN1.map((ms, i) => ({ id: `fetch${i}`, tool: 'bf__slow', arguments: { label: `page-${i}`, ms } }));
  tasks.push({
    id: 'join',
    tool: 'bf__slow',
    arguments: { label: `summary of ${FAN1.map((_, i) => `{{fetch${i}.text}}`).join(',')}`, ms: JOIN_MS },
  });
  FAN2.forEach((ms, i) => tasks.push({ id: `post${i}`, tool: 'bf__slow', arguments: { label: `post ${i} <{{join.text}}>`, ms } }));
  return { tasks };
}

/** The same calls one by one, the client doing the substitution the references do in the plan. */
function dagCalls() {
  const calls = FAN1.map((ms, i) => ['bf__slow', { label: `page-${i}`, ms }]);
  calls.push(['bf__slow', (results) => ({ label: `summary of ${results.slice(0, FAN1.length).map(textOf).join(',')}`, ms: JOIN_MS })]);
  FAN2.forEach((ms, i) => calls.push(['bf__slow', (results) => ({ label: `post ${i} <${textOf(results[FAN1.length])}>`, ms })]));
  return calls;
}

/** The best a client that calls in parallel itself can do: each wave all at once, the next once it has the results. */
async function dagInWaves(client) {
  const started = performance.now();
  const fetched = await concurrent(
    client,
    FAN1.map((ms, i) => ['bf__slow', { label: `page-${i}`, ms }]),
  );
  const joined = await concurrent(client, [['bf__slow', { label: `summary of ${fetched.results.map(textOf).join(',')}`, ms: JOIN_MS }]]);
  const posted = await concurrent(
    client,
    FAN2.map((ms, i) => ['bf__slow', { label: `post ${i} <${textOf(joined.results[0])}>`, ms }]),
  );
  return { wall: performance.now() - started, results: [...fetched.results, ...joined.results, ...posted.results] };
}

async function benchDag(client) {
  const plan = dagPlan();
  const calls = dagCalls();
  const criticalPathMs = Math.max(...FAN1) + JOIN_MS + Math.max(...FAN2);
  const sumMs = FAN1.reduce((a, b) => a + b, 0) + JOIN_MS + FAN2.reduce((a, b) => a + b, 0);
  const { walls, outputs } = await inTurns({
    sequential: () => sequential(client, calls),
    concurrent: () => dagInWaves(client),
    batch: () => batch(client, plan),
  });
  // Every way must give the same answers: the references really carried the results. batch_execute
  // returns the results of the tasks nothing depends on (the five posts), and those hold all the others.
  const want = outputs.sequential.results.map(textOf);
  const posts = want.slice(FAN1.length + 1);
  const returned = outputs.batch.report.tasks.filter((task) => task.text !== undefined).map((task) => task.text);
  for (const [name, expected, got] of [
    ['in waves', want, outputs.concurrent.results.map(textOf)],
    ['batch', posts, returned],
  ]) {
    if (JSON.stringify(expected) !== JSON.stringify(got))
      throw new Error(`DAG results differ (${name}):\n${expected.join('\n')}\nvs\n${got.join('\n')}`);
  }
  return {
    tasks: plan.tasks.length,
    criticalPathMs,
    sumMs,
    walls,
    medians: { sequential: median(walls.sequential), concurrent: median(walls.concurrent), batch: median(walls.batch) },
    sequentialOverBatch: ratios(walls.sequential, walls.batch),
    concurrentOverBatch: ratios(walls.concurrent, walls.batch),
  };
}

// ---------------------------------------------------------------- (c) throughput

async function benchScheduler() {
  const proc = startProcess({
    name: 'scheduler.ts',
    command: process.execPath,
    args: ['--import', 'tsx', join(here, 'scheduler.ts'), '10000', String(profile.schedulerRepeats)],
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? scratchDir, NODE_ENV: 'production' },
  });
  const lines = [];
  try {
    // scheduler.ts prints one line per shape; the third is the last.
    await proc.waitForOutput(/^random DAG/, STEP_TIMEOUT_MS);
    for (const line of proc.output().split('\n')) {
      const match = /^(.+?)\s+run\s+([\d.]+) ms =\s+([\d,]+) tasks\/s\s+validate\s+([\d.]+) ms =\s+([\d,]+) tasks\/s/.exec(line);
      if (match)
        lines.push({
          shape: match[1].trim(),
          runMs: Number(match[2]),
          runRate: Number(match[3].replace(/,/g, '')),
          validateRate: Number(match[5].replace(/,/g, '')),
        });
    }
  } finally {
    await proc.stop();
  }
  if (lines.length !== 3) throw new Error(`scheduler.ts printed:\n${proc.output()}`);
  return lines;
}

/** `profile.throughputCalls` calls of `tool` in one batch_execute; `maxConcurrency` undefined: the default. */
async function benchCalls(client, tool, args, maxConcurrency) {
  const count = profile.throughputCalls;
  const plan = {
    tasks: Array.from({ length: count }, (_, i) => ({ id: `c${i}`, tool, arguments: args(i) })),
    ...(maxConcurrency ? { maxConcurrency } : {}),
  };
  await batch(client, { ...plan, tasks: plan.tasks.slice(0, 200) }); // warm-up
  const walls = [];
  const engine = [];
  for (let round = 0; round < profile.throughputRepeats; round++) {
    const run = await batch(client, plan);
    if (run.report.tasks.length !== count) throw new Error('missing tasks in the report');
    walls.push(run.wall);
    engine.push(run.report.wallTimeMs);
  }
  return {
    tool,
    count,
    maxConcurrency: maxConcurrency ?? 'default',
    wallMs: median(walls),
    engineWallMs: median(engine),
    rate: (count / median(walls)) * 1000,
    walls,
  };
}

// ---------------------------------------------------------------- report

function table(rows) {
  const header = ['figure', 'value', 'target', 'result'];
  const cells = rows.map((row) => [row.figure, row.value, row.target ?? '', row.pass === undefined ? '' : row.pass ? 'PASS' : 'FAIL']);
  const widths = header.map((_, column) => Math.max(header[column].length, ...cells.map((cell) => cell[column].length)));
  const line = (cell) =>
    cell
      .map((text, column) => text.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.map(line)].join('\n');
}

async function main() {
  scratchDir = await mkdtemp(join(tmpdir(), 'mcp-orch-bench-batch-'));
  const meta = provenance(repoRoot);
  const rows = [];
  const figures = {};

  log('(e) tokens three ways (bench/batch/three-ways.ts)…');
  const { compareWorkflows } = await tsImport('./three-ways.ts', import.meta.url);
  figures.threeWays = await compareWorkflows();

  log('scheduler throughput (bench/batch/scheduler.ts)…');
  figures.scheduler = await benchScheduler();

  log('starting the daemon…');
  const daemon = await startDaemon(scratchDir);
  let session;
  try {
    session = await connect(daemon.base);
    const { client } = session;
    // The servers are up once "Press Ctrl-C" is printed; check the aggregate lists what we call.
    const names = new Set((await withTimeout(client.listTools(), 'tools/list')).tools.map((tool) => tool.name));
    for (const name of ['batch_execute', 'echo__sleep', 'echo__echo', 'bf__slow', 'bf__typed']) {
      if (!names.has(name)) throw new Error(`the aggregate lists no ${name}: ${[...names].join(', ')}`);
    }
    log('(a) 20 independent 100 ms calls, three ways…');
    figures.independent = await benchIndependent(client);
    log('(b) fan-out 10 → join → fan-out 5…');
    figures.dag = await benchDag(client);
    log('(c) 1,000 calls through batch_execute…');
    figures.callsEcho = await benchCalls(client, 'echo__echo', (i) => ({ text: `call ${i}` }));
    figures.callsRaw = await benchCalls(client, 'bf__typed', (i) => ({ count: i }));
    figures.callsEcho256 = await benchCalls(client, 'echo__echo', (i) => ({ text: `call ${i}` }), 256);
    figures.callsRaw256 = await benchCalls(client, 'bf__typed', (i) => ({ count: i }), 256);
    log('(d) tokens…');
    figures.tokens = await benchTokens(client);
  } finally {
    await session?.close();
    await daemon.proc.stop();
  }

  const x = (value) => `×${value.toFixed(2)}`;
  const both = (r) => `${x(r.ofMedians)} (paired median ${x(r.pairedMedian)})`;
  const a = figures.independent;
  rows.push({
    figure: `(a) ${a.count} × sleep ${a.sleepMs} ms, one after another (SDK client)`,
    value: `${ms(a.medians.sequential)}  (median of ${a.walls.sequential.length})`,
  });
  rows.push({ figure: '(a) the same calls all at once by the one client', value: ms(a.medians.concurrent) });
  rows.push({
    figure: '(a) the same, one batch_execute, no limits set (client wall)',
    value: `${ms(a.medians.batch)}  (engine wallTimeMs ${ms(a.engineWallMs)})`,
  });
  rows.push({
    figure: '(a) one after another ÷ batch',
    value: both(a.sequentialOverBatch),
    target: '≥ ×10',
    pass: a.sequentialOverBatch.ofMedians >= 10 && a.sequentialOverBatch.pairedMedian >= 10,
  });
  rows.push({ figure: '(a) all at once ÷ batch', value: both(a.concurrentOverBatch), target: 'none (≈ 1: same work)' });
  rows.push({
    figure: '(a) batch wall ÷ critical path (100 ms)',
    value: `${(a.medians.batch / a.criticalPathMs).toFixed(2)}`,
    target: '≤ 1.3',
    pass: a.medians.batch <= 1.3 * a.criticalPathMs,
  });
  const b = figures.dag;
  rows.push({
    figure: `(b) DAG 10 → join → 5 (${b.tasks} calls, Σ ${b.sumMs} ms), one after another`,
    value: `${ms(b.medians.sequential)}  (median of ${b.walls.sequential.length})`,
  });
  rows.push({ figure: '(b) the same in waves, each wave all at once by the one client', value: ms(b.medians.concurrent) });
  rows.push({
    figure: '(b) the same, one batch_execute, no limits set (client wall)',
    value: `${ms(b.medians.batch)}  (critical path ${b.criticalPathMs} ms)`,
  });
  rows.push({
    figure: '(b) one after another ÷ batch',
    value: both(b.sequentialOverBatch),
    target: '≥ ×3',
    pass: b.sequentialOverBatch.ofMedians >= 3 && b.sequentialOverBatch.pairedMedian >= 3,
  });
  rows.push({
    figure: '(b) in waves ÷ batch',
    value: both(b.concurrentOverBatch),
    target: 'none (≥ 1: a wave waits for its slowest call)',
  });
  rows.push({
    figure: '(b) batch wall ÷ critical path',
    value: `${(b.medians.batch / b.criticalPathMs).toFixed(2)}`,
    target: '≤ 1.3',
    pass: b.medians.batch <= 1.3 * b.criticalPathMs,
  });
  for (const shape of figures.scheduler) {
    rows.push({
      figure: `(c) scheduler, 10,000 trivial tasks, ${shape.shape}`,
      value: `${int(shape.runRate)} tasks/s (validate ${int(shape.validateRate)}/s)`,
      target: '≥ 20,000/s',
      pass: shape.runRate >= 20_000,
    });
  }
  for (const [key, label] of [
    ['callsEcho', 'echo__echo (SDK stdio server)'],
    ['callsRaw', 'bf__typed (raw JSON-RPC server)'],
    ['callsEcho256', 'echo__echo, maxConcurrency 256'],
    ['callsRaw256', 'bf__typed, maxConcurrency 256'],
  ]) {
    const c = figures[key];
    rows.push({
      figure: `(c) ${int(c.count)} calls in one batch_execute, ${label}`,
      value: `${int(c.rate)} calls/s (${ms(c.wallMs)}; engine ${ms(c.engineWallMs)})`,
      target: '≥ 2,000/s',
      pass: c.rate >= 2000,
    });
  }
  const t = figures.tokens;
  const saved = 1 - t.batched.total / t.oneByOne.total;
  rows.push({
    figure: `(d) tokens, 10 calls one per turn (${t.oneByOne.turns} turns)`,
    value: `${int(t.oneByOne.total)} (prompt ${int(t.oneByOne.prompt)} + completion ${int(t.oneByOne.completion)})`,
  });
  rows.push({
    figure: `(d) tokens, one batch_execute turn (${t.batched.turns} turns)`,
    value: `${int(t.batched.total)} (prompt ${int(t.batched.prompt)} + completion ${int(t.batched.completion)})`,
  });
  rows.push({
    figure: '(d) tokens saved by batch_execute',
    value: `${(saved * 100).toFixed(1)} %`,
    target: '≥ 60 % (seed 30 %)',
    pass: saved >= 0.6,
  });
  const savedOnce = 1 - t.batched.onceEach / t.oneByOne.onceEach;
  rows.push({
    figure: '(d) for comparison: nothing re-sent (each message once)',
    value: `${int(t.oneByOne.onceEach)} vs ${int(t.batched.onceEach)} = ${(savedOnce * 100).toFixed(1)} % saved`,
  });

  for (const w of figures.threeWays) {
    const vsCall = 1 - w.planned.total / w.perCall.total;
    const vsWave = 1 - w.planned.total / w.perWave.total;
    const label = `(e) ${w.name} (${w.shape}, ${w.calls} calls, ${w.waves} waves)`;
    rows.push({ figure: `${label}: 1 call per turn`, value: `${int(w.perCall.total)} (${w.perCall.turns} turns)` });
    rows.push({ figure: `${label}: 1 turn per wave`, value: `${int(w.perWave.total)} (${w.perWave.turns} turns)` });
    rows.push({
      figure: `${label}: plan_and_execute`,
      value: `${int(w.planned.total)} (${w.planned.turns} turns + planner call ${int(w.planned.planner)})`,
    });
    rows.push({
      figure: `${label}: saved vs 1 call per turn`,
      value: `${(vsCall * 100).toFixed(1)} %`,
      target: '≥ 60 %',
      pass: vsCall >= 0.6,
    });
    rows.push({
      figure: `${label}: saved vs 1 turn per wave`,
      value: `${(vsWave * 100).toFixed(1)} %`,
      ...(w.dependent ? { target: '≥ 30 % (dependent)', pass: vsWave >= 0.3 } : { target: 'none (independent)' }),
    });
  }

  const left = leftovers();
  rows.push({
    figure: 'processes left after the run',
    value: left.length ? left.join(' ') : 'none',
    target: 'none',
    pass: left.length === 0,
  });

  console.log(
    `Batch bench${options.quick ? ' (--quick)' : ''}: ${provenanceLine(meta)}; load average at the end ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  console.log(table(rows));
  console.log(
    `\n(d) method: o200k_base (gpt-tokenizer). A turn = system prompt + tool definitions (JSON of name, description, parameters) + every message so far + the completion; each message is "<role>\\n<content>" + 4 tokens of framing, a tool call is JSON {name, arguments}. One call per turn: 11 turns (10 get_issue calls, then the answer), each re-sending the conversation. Batch: 2 turns (one batch_execute call, then the answer), tool definitions include batch_execute (${int(t.batchToolTokens)} tokens, as the daemon lists it); its result is the daemon's real compact report. Both sides get the same results and the same final answer.`,
  );
  console.log(
    "\n(e) method: the same o200k_base transcript model, over the 62 tools of the planner evaluation's five stdio servers (listed to the agent every turn). 1 call per turn and 1 turn per wave: the agent copies data from one result into the next call itself. plan_and_execute: two agent turns (the tool definitions then also hold batch_execute and plan_and_execute), plus the planner's own call — its system prompt, the tools its BM25 pre-filter kept, the request, and the plan it writes — and the report holds only the plan's output tasks. The planner and executor are the real ones; the plan is scripted, the tool results canned (bench/batch/workflows.ts).",
  );
  if (options.json)
    await writeFile(options.json, JSON.stringify({ ...meta, loadAverageAtEnd: loadavg(), options, figures, rows }, null, 2));
  const failed = rows.filter((row) => row.pass === false).length;
  if (failed) console.log(`\n${failed} target(s) missed.`);
}

main()
  .catch((error) => {
    console.error(error?.stack ?? error);
    process.exitCode = 1;
  })
  .finally(cleanup);
