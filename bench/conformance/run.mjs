#!/usr/bin/env node
// `npm run conformance`: the official MCP conformance suite (@modelcontextprotocol/conformance,
// server role) with both requirement sets, --requirements 2025-11-25 and 2026-07-28, against
// mcp-orch's `/mcp/<server>` (in front of the v1 stdio fixture, and in front of the suite's
// reference server as a remote upstream), the reference served directly, the fixture served
// directly, and the peers mcp-proxy and supergateway in front of the same fixture. Prints one
// table: target × set → scored scenarios passed / total (unscored ones apart), with provenance.
//
//   node bench/conformance/run.mjs [--reference <checkout of modelcontextprotocol/conformance>]
//        [--only <id>[,<id>…]] [--set 2025-11-25|2026-07-28] [--auth header|query]
//        [--daemon <checkout>]  (the mcp-orch build and fixture of another checkout, built there)
//        [--json [file]]      (default file: bench/results/conformance-requirements-<commit>.json,
//                              the commit being --daemon's when given)
//
// Exits 1 when an mcp-orch row passes fewer scored 2025-11-25 scenarios than what it fronts served
// directly, 2 when the run itself failed.
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { provenance, provenanceLine } from '../provenance.mjs';
import { killEverything, leftovers, runBench } from '../proxy/processes.mjs';
import { REQUIREMENT_SETS, SUITE_PACKAGE, ensureTools, failureLine, readRequirements, runSet, scoreSet } from './suite.mjs';
import { REFERENCE_FILE, TARGETS, labelOf, referenceDigest } from './targets.mjs';

const here = dirname(fileURLToPath(import.meta.url));
/** The run's temp folder, removed by `cleanUp` too when a signal ends the run before `finally` can. */
let scratchDir;
const repoRoot = resolve(here, '../..');
const REFERENCE_HOWTO =
  'pass --reference <path> to a checkout of https://github.com/modelcontextprotocol/conformance ' +
  `(git clone --depth 1 https://github.com/modelcontextprotocol/conformance); its ${REFERENCE_FILE} is run from a temp folder`;

function readOptions(argv = process.argv.slice(2)) {
  const options = { reference: undefined, daemon: undefined, only: undefined, sets: REQUIREMENT_SETS, auth: 'header', json: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--reference') options.reference = resolve(value());
    else if (arg === '--daemon') options.daemon = resolve(value());
    else if (arg === '--only') options.only = value().split(',');
    else if (arg === '--set') options.sets = [value()];
    else if (arg === '--auth') options.auth = value();
    else if (arg === '--json') options.json = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : true;
    else throw new Error(`unknown argument: ${arg}`);
  }
  if (options.sets.some((set) => !REQUIREMENT_SETS.includes(set))) throw new Error(`--set takes ${REQUIREMENT_SETS.join(' or ')}`);
  if (!['header', 'query'].includes(options.auth)) throw new Error('--auth takes header or query');
  const ids = TARGETS.map((target) => target.id);
  const unknown = options.only?.filter((id) => !ids.includes(id)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown target ${unknown.join(', ')}; targets: ${ids.join(', ')}`);
  if (options.daemon && !existsSync(join(options.daemon, 'dist/main/cli/main.js')))
    throw new Error(`--daemon ${options.daemon} has no build (dist/main/cli/main.js): run npm run build:daemon there`);
  if (options.reference && !existsSync(join(options.reference, REFERENCE_FILE)))
    throw new Error(`--reference ${options.reference} has no ${REFERENCE_FILE}`);
  return options;
}

const load = () => loadavg().map((value) => value.toFixed(2));

/** Runs every requirement set against one started target. */
async function measure(target, ctx, options, requirements) {
  const instance = await target.start(ctx);
  const sets = {};
  try {
    for (const set of options.sets) {
      const outDir = join(ctx.tmpDir, 'results', target.id.replace('/', '_'), set);
      const env = instance.bearer
        ? { MCP_ORCH_BENCH_BEARER: instance.bearer.token, MCP_ORCH_BENCH_BEARER_ORIGIN: instance.bearer.origin }
        : {};
      const run = await runSet(ctx.tools, {
        url: instance.url,
        set,
        outDir,
        env,
        preload: instance.bearer ? ctx.bearerPreload : undefined,
      });
      const score = await scoreSet(requirements[set], outDir);
      sets[set] = { ...score, seconds: run.seconds, suiteExit: run.code, timedOut: run.timedOut, loadAverage: load() };
      const line = `${target.id} ${set}: ${score.scored.passed}/${score.scored.total} scored, ${score.unscored.passed}/${score.unscored.total} unscored`;
      process.stderr.write(`${line} (${run.seconds} s, load ${load().join(' ')})\n`);
    }
  } finally {
    await instance.stop();
  }
  return { url: instance.url.replace(/access_token=[^&]+/, 'access_token=REDACTED'), auth: instance.bearer ? 'header' : 'none', sets };
}

function cell(result) {
  if (!result) return '–';
  return `${result.scored.passed} / ${result.scored.total}`;
}

function unscoredCell(result) {
  return result ? `${result.unscored.passed} / ${result.unscored.total}` : '–';
}

function printTable(rows, sets) {
  const header = ['target', ...sets.flatMap((set) => [`${set} scored`, `${set} unscored`])];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) {
    const cells = row.skipped
      ? sets.flatMap(() => ['skipped', '–'])
      : sets.flatMap((set) => [cell(row.sets[set]), unscoredCell(row.sets[set])]);
    lines.push(`| ${row.label} | ${cells.join(' | ')} |`);
  }
  console.log(`\n${lines.join('\n')}\n`);
  console.log("scored: scenarios passed / the set's scored server scenarios (a scenario passes when none of its checks fails).");
  console.log("unscored: the set's not_scored server scenarios (extension, pending, added-after-release), run and reported.\n");
  for (const row of rows) {
    if (row.skipped) {
      console.log(`${row.label}: skipped: ${row.skipped}`);
      continue;
    }
    for (const set of sets) {
      const result = row.sets[set];
      for (const [kind, tally] of [
        ['scored', result.scored],
        ['unscored', result.unscored],
      ]) {
        for (const [name, scenario] of Object.entries(tally.scenarios)) {
          if (!scenario.passed) console.log(`${row.id} ${set} ${kind} ✗ ${name}: ${failureLine(scenario)}`);
        }
      }
    }
  }
}

/** 1 when an mcp-orch row scores below what it fronts, served directly, on the 2025-11-25 set. */
function regressionExit(rows) {
  const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
  const pairs = [
    ['mcp-orch/fixture', 'fixture'],
    ['mcp-orch/reference', 'reference'],
  ];
  const set = '2025-11-25';
  let code = 0;
  for (const [proxied, direct] of pairs) {
    const a = byId[proxied]?.sets?.[set];
    const b = byId[direct]?.sets?.[set];
    if (a && b && a.scored.passed < b.scored.passed) {
      console.log(`REGRESSION: ${proxied} passes ${a.scored.passed} scored ${set} scenarios, ${direct} served directly ${b.scored.passed}`);
      code = 1;
    }
  }
  return code;
}

async function main() {
  const options = readOptions();
  const meta = provenance(repoRoot);
  console.log(`conformance: ${provenanceLine(meta)}`);
  const daemonRoot = options.daemon ?? repoRoot;
  // What the mcp-orch rows and the fixture ran: this checkout, or --daemon's (its own commit and build state).
  const { commit, dirty, staleBuild } = options.daemon ? provenance(daemonRoot) : meta;
  const daemon = { root: daemonRoot, commit, dirty, staleBuild };
  if (options.daemon) console.log(`mcp-orch and the fixture from ${daemonRoot}: ${provenanceLine({ ...meta, commit, dirty, staleBuild })}`);
  const tools = await ensureTools();
  const requirements = Object.fromEntries(options.sets.map((set) => [set, readRequirements(tools, set)]));
  const tmpDir = await mkdtemp(join(tmpdir(), 'mcp-orch-conformance-'));
  scratchDir = tmpDir;
  const ctx = {
    repoRoot,
    daemonRoot,
    tmpDir,
    tools,
    auth: options.auth,
    reference: options.reference,
    fixturePath: join(daemonRoot, 'main/core/mcp/__fixtures__/conformance-server.mjs'),
    loopbackPreload: pathToFileURL(join(repoRoot, 'bench/proxy/loopback-only.mjs')).href,
    bearerPreload: pathToFileURL(join(here, 'bearer-preload.mjs')).href,
    orchToken: randomBytes(24).toString('hex'),
  };
  console.log(
    `suite ${SUITE_PACKAGE} under Node ${tools.nodeVersion} (${tools.dir}); reference: ${
      options.reference ? `${options.reference} (${REFERENCE_FILE} sha256 ${referenceDigest(options.reference)})` : 'not given'
    }; mcp-orch auth: ${options.auth === 'header' ? 'Authorization header (bearer-preload.mjs)' : '?access_token='}`,
  );
  const rows = [];
  try {
    for (const target of TARGETS.filter((candidate) => !options.only || options.only.includes(candidate.id))) {
      const label = labelOf(target, ctx);
      if (target.needsReference && !options.reference) {
        rows.push({ id: target.id, label, skipped: `no reference server: ${REFERENCE_HOWTO}` });
        continue;
      }
      rows.push({ id: target.id, label, ...(await measure(target, ctx, options, requirements)) });
    }
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
  console.log(`load average after: ${load().join(' ')}`);
  printTable(rows, options.sets);
  if (options.json) {
    const file = options.json === true ? join(repoRoot, 'bench/results', `conformance-requirements-${daemon.commit}.json`) : options.json;
    const report = {
      ...meta,
      loadAverageAfter: load().map(Number),
      daemon,
      suite: SUITE_PACKAGE,
      suiteNode: tools.nodeVersion,
      reference: options.reference ? { file: REFERENCE_FILE, sha256: referenceDigest(options.reference) } : null,
      requirements,
      rows,
    };
    await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`raw results written to ${file}`);
  }
  const left = leftovers();
  if (left.length > 0) console.log(`processes left running (killed now): ${left.join(', ')}`);
  process.exitCode = regressionExit(rows);
}

/** Synchronous (exit handlers): kill what we started, then drop the temp folder. */
function cleanUp() {
  killEverything();
  if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
}

runBench(async () => {
  try {
    await main();
  } catch (error) {
    console.error(`conformance: ${error instanceof Error ? error.message : String(error)}`);
    cleanUp();
    process.exit(2);
  }
}, cleanUp);
