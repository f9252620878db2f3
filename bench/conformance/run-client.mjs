#!/usr/bin/env node
// `npm run conformance:client`: the official MCP conformance suite's CLIENT role
// (`conformance client --requirements <set>`), for both requirement sets, run against MCP Orch's
// upstream client (bench/conformance/client.mjs, which puts a real daemon between the scenario
// server and an SDK client) and against the suite's reference client (everything-client.ts of a
// checkout given with --reference), measured the same way. Prints one table per set: scenario ×
// (mcp-orch, reference client), passed or failed, with totals of the scored scenarios.
//
//   node bench/conformance/run-client.mjs [--set 2025-11-25|2026-07-28] [--only <scenario>[,…]]
//        [--reference <checkout of modelcontextprotocol/conformance>] [--clients mcp-orch,reference]
//        [--one-by-one [--jobs <n>]] [--timeout <ms per scenario>] [--keep] [--json [file]]
//
// Without --only and --one-by-one, each set is one `--requirements` run (the suite starts every
// scenario at once); --only (or --one-by-one) runs the scenarios one after another with
// `--scenario <s> --spec-version <set> --force`, the wire and selection `--requirements` uses.
// Exits 2 when the run itself failed.
import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { provenance, provenanceLine } from '../provenance.mjs';
import { killEverything, leftovers, runBench } from '../proxy/processes.mjs';
import { REFERENCE_CLIENT_FILE, buildReferenceClient, referenceClientDigest } from './client-reference.mjs';
import { REQUIREMENT_SETS, SUITE_PACKAGE, ensureTools, failureLine, readRequirements, runClientSet, scoreSet } from './suite.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const CLIENTS = ['mcp-orch', 'reference'];
const DEFAULT_TIMEOUT_MS = 120_000;
let scratchDir;

function readOptions(argv = process.argv.slice(2)) {
  const options = {
    sets: REQUIREMENT_SETS,
    only: undefined,
    reference: undefined,
    clients: CLIENTS,
    oneByOne: false,
    jobs: 1,
    keep: false,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    json: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--set') options.sets = [value()];
    else if (arg === '--only') options.only = value().split(',');
    else if (arg === '--reference') options.reference = resolve(value());
    else if (arg === '--clients') options.clients = value().split(',');
    else if (arg === '--one-by-one') options.oneByOne = true;
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--jobs') options.jobs = Number(value());
    else if (arg === '--timeout') options.timeoutMs = Number(value());
    else if (arg === '--json') options.json = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : true;
    else throw new Error(`unknown argument: ${arg}`);
  }
  if (options.sets.some((set) => !REQUIREMENT_SETS.includes(set))) throw new Error(`--set takes ${REQUIREMENT_SETS.join(' or ')}`);
  if (options.clients.some((id) => !CLIENTS.includes(id))) throw new Error(`--clients takes ${CLIENTS.join(',')}`);
  if (!(options.timeoutMs > 0)) throw new Error('--timeout takes milliseconds');
  if (!Number.isInteger(options.jobs) || options.jobs < 1) throw new Error('--jobs takes a whole number ≥ 1');
  return options;
}

const load = () => loadavg().map((value) => value.toFixed(2));

/** The commands the suite runs, per client: `<node> <script>`, the scenario URL appended by the suite. */
async function clientCommands(options, tools, tmpDir) {
  const commands = {};
  const skipped = {};
  if (options.clients.includes('mcp-orch')) commands['mcp-orch'] = `${process.execPath} ${join(here, 'client.mjs')}`;
  if (options.clients.includes('reference')) {
    if (options.reference) commands.reference = (await buildReferenceClient({ reference: options.reference, tmpDir, tools })).command;
    else
      skipped.reference = `no reference client: pass --reference <checkout of https://github.com/modelcontextprotocol/conformance> (its ${REFERENCE_CLIENT_FILE})`;
  }
  return { commands, skipped };
}

async function measure(id, command, set, requirements, options, tools, tmpDir) {
  const outDir = join(tmpDir, 'results', id, set);
  const all = [...requirements.scored, ...requirements.unscored.map((entry) => entry.scenario)];
  const scenarios = options.only ? all.filter((name) => options.only.includes(name)) : all;
  const started = Date.now();
  if (options.only || options.oneByOne) {
    // --jobs scenarios at a time, each its own suite run (and, for mcp-orch, its own daemon).
    const queue = [...scenarios];
    const worker = async () => {
      for (let scenario = queue.shift(); scenario !== undefined; scenario = queue.shift()) {
        await runClientSet(tools, { command, set, outDir, timeoutMs: options.timeoutMs, scenario });
        process.stderr.write(`  ${id} ${set} ${scenario} (load ${load().join(' ')})\n`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.jobs, scenarios.length) }, worker));
  } else {
    await runClientSet(tools, { command, set, outDir, timeoutMs: options.timeoutMs });
  }
  const score = await scoreSet(requirements, outDir, 'client');
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  process.stderr.write(`${id} ${set}: ${score.scored.passed}/${score.scored.total} scored (${seconds} s, load ${load().join(' ')})\n`);
  const mode = options.only || options.oneByOne ? `one-by-one, ${options.jobs} at a time` : 'requirements';
  return { ...score, seconds, mode, loadAverage: load() };
}

function mark(result, name) {
  const scenario = result?.scored.scenarios[name] ?? result?.unscored.scenarios[name];
  if (!scenario) return '–';
  return scenario.passed ? 'pass' : 'FAIL';
}

function printTables(rows, sets, requirements, only) {
  for (const set of sets) {
    const ran = rows.filter((row) => row.sets?.[set]);
    const header = ['scenario', 'scored', ...ran.map((row) => row.id)];
    const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
    const names = [...requirements[set].scored, ...requirements[set].unscored.map((entry) => entry.scenario)];
    for (const name of names.filter((scenario) => !only || only.includes(scenario))) {
      const reason = requirements[set].unscored.find((entry) => entry.scenario === name)?.reason;
      lines.push(`| ${name} | ${reason ? `no (${reason})` : 'yes'} | ${ran.map((row) => mark(row.sets[set], name)).join(' | ')} |`);
    }
    const total = (row) => `**${row.sets[set].scored.passed} / ${row.sets[set].scored.total}**`;
    lines.push(`| scored total | | ${ran.map(total).join(' | ')} |`);
    console.log(`\n--requirements ${set}\n\n${lines.join('\n')}\n`);
  }
  for (const row of rows) {
    if (row.skipped) {
      console.log(`${row.id}: skipped: ${row.skipped}`);
      continue;
    }
    for (const set of sets) {
      for (const tally of [row.sets[set].scored, row.sets[set].unscored]) {
        for (const [name, scenario] of Object.entries(tally.scenarios)) {
          if (!scenario.passed && (!only || only.includes(name))) console.log(`${row.id} ${set} ✗ ${name}: ${failureLine(scenario)}`);
        }
      }
    }
  }
}

async function main() {
  const options = readOptions();
  const meta = provenance(repoRoot);
  console.log(`conformance client: ${provenanceLine(meta)}`);
  const tools = await ensureTools();
  const requirements = Object.fromEntries(options.sets.map((set) => [set, readRequirements(tools, set, 'client')]));
  const tmpDir = await mkdtemp(join(tmpdir(), 'mcp-orch-conformance-client-run-'));
  scratchDir = tmpDir;
  const rows = [];
  try {
    const { commands, skipped } = await clientCommands(options, tools, tmpDir);
    const reference = options.reference ? { file: REFERENCE_CLIENT_FILE, sha256: referenceClientDigest(options.reference) } : null;
    console.log(
      `suite ${SUITE_PACKAGE} under Node ${tools.nodeVersion}; timeout ${options.timeoutMs} ms per scenario; reference client: ${
        reference ? `${options.reference} (${reference.file} sha256 ${reference.sha256})` : 'not given'
      }`,
    );
    for (const id of options.clients) {
      if (skipped[id]) {
        rows.push({ id, skipped: skipped[id] });
        continue;
      }
      const sets = {};
      for (const set of options.sets) sets[set] = await measure(id, commands[id], set, requirements[set], options, tools, tmpDir);
      rows.push({ id, command: commands[id].replace(tmpDir, '<tmp>'), sets });
    }
    console.log(`load average after: ${load().join(' ')}`);
    printTables(rows, options.sets, requirements, options.only);
    if (options.json) {
      const file = options.json === true ? join(repoRoot, 'bench/results', `conformance-client-${meta.commit}.json`) : options.json;
      const report = {
        ...meta,
        loadAverageAfter: load().map(Number),
        suite: SUITE_PACKAGE,
        suiteNode: tools.nodeVersion,
        timeoutMs: options.timeoutMs,
        reference,
        requirements,
        rows,
      };
      await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
      console.log(`raw results written to ${file}`);
    }
  } finally {
    // --keep: the suite's result folders (checks, the clients' stdout and stderr) stay for reading.
    if (options.keep) console.log(`results kept in ${tmpDir}`);
    else await rm(tmpDir, { recursive: true, force: true });
  }
  const left = leftovers();
  if (left.length > 0) console.log(`processes left running (killed now): ${left.join(', ')}`);
}

function cleanUp() {
  killEverything();
  if (scratchDir && !process.argv.includes('--keep')) rmSync(scratchDir, { recursive: true, force: true });
}

runBench(async () => {
  try {
    await main();
  } catch (error) {
    console.error(`conformance client: ${error instanceof Error ? error.message : String(error)}`);
    cleanUp();
    process.exit(2);
  }
}, cleanUp);
