#!/usr/bin/env node
// `npm run conformance`: runs the official MCP conformance suite (server scenarios) against our
// conformance fixture twice — served natively over HTTP ("direct") and behind `mcp-orch serve`
// at /mcp/<server> ("proxy") — and prints the two outcomes side by side.
//
//   node bench/conformance/run.mjs [--scenario <name>] [--only direct|proxy] [--json bench/results/conformance-<commit>.json]
//
// Exits 1 when the proxy fails a scenario that the direct path passes (or, with --only, when the
// path run fails any scenario).
import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { provenance, provenanceLine } from '../provenance.mjs';

/** The daemon requires a token on every endpoint: a fresh bootstrap token for this run. */
const PROXY_TOKEN = randomBytes(24).toString('hex');

const CONFORMANCE_PACKAGE = '@modelcontextprotocol/conformance@0.1.16';
// The suite needs Node 22; npx fetches it as a package, so the machine's own Node may be older.
const NODE_PACKAGE = 'node@22';
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURE = join(REPO_ROOT, 'main/core/mcp/__fixtures__/conformance-server.mjs');
const SERVER_NAME = 'conformance';
const STARTUP_TIMEOUT_MS = 60_000;
const SCENARIO_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 3_000;
const LISTENING_LINE = /listening on (http:\/\/\S+)/i;
const OUTPUT_TAIL_CHARS = 4_000;

/** Every process we started, so that none outlives us whatever way we exit. */
const children = new Set();
let interrupted = false;

// ---------------------------------------------------------------------------------------------
// Processes

/**
 * Spawns a process in its own process group (so stopping it also stops what it spawned) and
 * keeps the tail of its output for error messages.
 */
function start(command, args, options = {}) {
  const child = spawn(command, args, { shell: false, detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  child.output = '';
  const keep = (chunk) => {
    child.output = (child.output + chunk).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  child.exited = new Promise((resolveExit) => child.once('close', (code, signal) => resolveExit({ code, signal })));
  children.add(child);
  void child.exited.then(() => children.delete(child));
  return child;
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** SIGTERM to the whole group, then SIGKILL if it has not exited in time. */
async function stop(child) {
  if (!children.has(child)) return;
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_GRACE_MS);
  await child.exited;
  clearTimeout(timer);
  // The leader may exit before the rest of its group.
  signalGroup(child, 'SIGKILL');
}

/** Last resort on a synchronous exit path: no awaiting possible, so straight to SIGKILL. */
process.on('exit', () => {
  for (const child of children) signalGroup(child, 'SIGKILL');
});

/** Resolves with the URL a server prints once it listens; rejects if it exits or stalls. */
function waitForListening(child, label) {
  return new Promise((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => fail(`did not report listening within ${STARTUP_TIMEOUT_MS / 1000} s`), STARTUP_TIMEOUT_MS);
    function fail(reason) {
      clearTimeout(timer);
      lines.close();
      reject(new Error(`${label} ${reason}\n--- its output ---\n${child.output}`));
    }
    lines.on('line', (line) => {
      const match = LISTENING_LINE.exec(line);
      if (!match) return;
      clearTimeout(timer);
      lines.close();
      resolveUrl(match[1].replace(/\/+$/, ''));
    });
    void child.exited.then(({ code, signal }) => fail(`exited (${signal ?? `code ${code}`}) before listening`));
  });
}

/** Runs a command to its end (killing it after timeoutMs) and returns its exit and output. */
function run(command, args, { timeoutMs = SCENARIO_TIMEOUT_MS, ...spawnOptions } = {}) {
  const child = start(command, args, spawnOptions);
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), timeoutMs);
  return child.exited.then((exit) => {
    clearTimeout(timer);
    return { ...exit, stdout, output: child.output };
  });
}

// ---------------------------------------------------------------------------------------------
// The conformance CLI

/**
 * Finds the Node 22 binary and the conformance CLI inside npx's cache. The first run downloads
 * them; the resolved paths are remembered in the temp folder so later runs skip npx entirely.
 */
async function resolveConformanceCli() {
  const cacheFile = join(tmpdir(), `mcp-orch-conformance-${CONFORMANCE_PACKAGE.replace(/[@/]/g, '_')}.json`);
  try {
    const cached = JSON.parse(await readFile(cacheFile, 'utf8'));
    if (existsSync(cached.node) && existsSync(cached.cli)) return cached;
  } catch {
    // No usable cache: ask npx.
  }
  console.error(`Resolving ${CONFORMANCE_PACKAGE} and ${NODE_PACKAGE} through npx (the first run downloads them)…`);
  // Inside `npx -p …` the packages' bin folder comes first on PATH; print what it resolves to.
  const probe =
    `const {join}=require('path'),{existsSync}=require('fs');` +
    `const dir=process.env.PATH.split(${JSON.stringify(delimiter)}).find(d=>existsSync(join(d,'conformance')));` +
    `console.log(JSON.stringify({node:process.execPath,cli:dir&&join(dir,'conformance')}))`;
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const result = await run(npx, ['-y', '-p', NODE_PACKAGE, '-p', CONFORMANCE_PACKAGE, 'node', '-e', probe], { timeoutMs: 600_000 });
  const json = result.stdout.trim().split('\n').pop();
  let resolved;
  try {
    resolved = JSON.parse(json);
  } catch {
    throw new Error(`could not resolve the conformance CLI through npx:\n${result.output}`);
  }
  if (!resolved.cli) throw new Error(`npx did not put a 'conformance' binary on PATH:\n${result.output}`);
  resolved.cli = realpathSync(resolved.cli);
  await writeFile(cacheFile, JSON.stringify(resolved));
  return resolved;
}

async function listServerScenarios(cli) {
  const result = await run(cli.node, [cli.cli, 'list', '--server']);
  const names = [...result.stdout.matchAll(/^\s+- (\S+)/gm)].map((match) => match[1]);
  if (names.length === 0) throw new Error(`'conformance list --server' listed no scenarios:\n${result.output}`);
  return names;
}

/** Runs one scenario and returns its checks, read from the checks.json the CLI writes. */
async function runScenario(cli, url, scenario, outputDir) {
  await mkdir(outputDir, { recursive: true });
  const result = await run(cli.node, [cli.cli, 'server', '--url', url, '--scenario', scenario, '-o', outputDir]);
  const [resultDir] = await readdir(outputDir);
  if (resultDir) {
    try {
      return JSON.parse(await readFile(join(outputDir, resultDir, 'checks.json'), 'utf8'));
    } catch {
      // Fall through: report the crash below.
    }
  }
  const ended = result.signal ? `was killed (${result.signal})` : `exited with code ${result.code}`;
  return [
    { id: scenario, status: 'FAILURE', errorMessage: `conformance CLI ${ended} without results: ${result.output.trim().slice(-500)}` },
  ];
}

// ---------------------------------------------------------------------------------------------
// The two servers under test

async function startDirect() {
  const fixture = start(process.execPath, [FIXTURE, '--http', '--port', '0']);
  return { url: await waitForListening(fixture, 'the conformance fixture'), process: fixture };
}

/** Our proxy with a config holding only the fixture, and a fresh HOME so no user data is touched. */
async function startProxy(workDir) {
  const home = join(workDir, 'home');
  await mkdir(home, { recursive: true });
  const configFile = join(workDir, 'mcp-config.json');
  const config = { mcpServers: { [SERVER_NAME]: { command: process.execPath, args: [FIXTURE, '--stdio'] } } };
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const env = {
    ...process.env,
    MCP_ORCH_TOKEN: PROXY_TOKEN,
    MCP_ORCH_LOGIN_SHELL_PATH: '0',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local/share'),
    XDG_STATE_HOME: join(home, '.local/state'),
    XDG_CACHE_HOME: join(home, '.cache'),
  };
  delete env.MCP_ORCH_CONFIG;
  const proxy = start(
    process.execPath,
    [join(REPO_ROOT, 'bin/mcp-orch.js'), 'serve', '--config', configFile, '--port', '0', '--host', '127.0.0.1'],
    { cwd: REPO_ROOT, env },
  );
  const base = await waitForListening(proxy, 'mcp-orch serve');
  // The suite cannot set headers: the token travels as ?access_token= (RFC 6750).
  return { url: `${base}/mcp/${SERVER_NAME}?access_token=${PROXY_TOKEN}`, process: proxy };
}

// ---------------------------------------------------------------------------------------------
// Report

function tally(checks) {
  const count = (status) => checks.filter((check) => check.status === status).length;
  const counts = { pass: count('SUCCESS'), fail: count('FAILURE'), warn: count('WARNING') };
  // A scenario can skip all its scored checks (e.g. JSON where it probes SSE): say so.
  const verdict = counts.fail > 0 ? 'FAIL' : counts.warn > 0 ? 'WARN' : counts.pass > 0 ? 'PASS' : 'N/A';
  return { ...counts, verdict, checks };
}

const isScored = (check) => check.status === 'SUCCESS' || check.status === 'FAILURE' || check.status === 'WARNING';

/** Checks one path scored and the other did not, with the other path's notes on why. */
function skippedChecks(scenario, results, path, otherPath) {
  const scoredIds = (p) =>
    new Set(
      results[p]
        .get(scenario)
        .checks.filter(isScored)
        .map((check) => check.id),
    );
  const mine = scoredIds(path);
  const missing = [...scoredIds(otherPath)].filter((id) => !mine.has(id));
  const notes = results[path]
    .get(scenario)
    .checks.filter((check) => check.status === 'INFO' && typeof check.details?.message === 'string')
    .map((check) => check.details.message);
  return { missing, notes };
}

function cell(result) {
  return result ? `${result.verdict} ${result.pass}/${result.fail}/${result.warn}` : '–';
}

function printReport(scenarios, results, paths) {
  const width = Math.max(...scenarios.map((name) => name.length), 'scenario'.length);
  const row = (name, ...cells) => `| ${name.padEnd(width)} | ${cells.map((c) => c.padEnd(16)).join(' | ')} |`;
  const lines = [
    row('scenario', ...paths.map((path) => `${path} (p/f/w)`)),
    `|${'-'.repeat(width + 2)}|${paths.map(() => '-'.repeat(18)).join('|')}|`,
    ...scenarios.map((name) => row(name, ...paths.map((path) => cell(results[path].get(name))))),
  ];
  const totals = paths.map((path) => {
    const all = [...results[path].values()];
    const sum = (key) => all.reduce((total, result) => total + result[key], 0);
    const clean = all.filter((result) => result.fail === 0).length;
    return `${clean}/${all.length} ok ${sum('pass')}/${sum('fail')}/${sum('warn')}`;
  });
  lines.push(row('total', ...totals));
  console.log(`\n${lines.join('\n')}\n`);
  console.log('p/f/w = checks passed / failed / warned; a scenario is ok when no check failed.\n');

  for (const path of paths) {
    for (const [name, result] of results[path]) {
      for (const check of result.checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING')) {
        console.log(`${path} ${name}: ${check.status} ${check.id}: ${check.errorMessage ?? check.description ?? ''}`);
      }
    }
  }
  if (paths.length !== 2) return;
  for (const name of scenarios) {
    for (const [path, otherPath] of [paths, [...paths].reverse()]) {
      const { missing, notes } = skippedChecks(name, results, path, otherPath);
      if (missing.length === 0) continue;
      console.log(
        `${path} ${name}: not scored (${missing.join(', ')} scored on ${otherPath})${notes.length ? `: ${notes.join('; ')}` : ''}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const options = { scenario: undefined, paths: ['direct', 'proxy'], json: undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--scenario') options.scenario = argv[++i];
    else if (argv[i] === '--only') options.paths = [argv[++i]];
    else if (argv[i] === '--json') options.json = argv[++i];
    else throw new Error(`unknown argument: ${argv[i]}`);
  }
  if (options.paths.some((path) => path !== 'direct' && path !== 'proxy')) throw new Error('--only takes direct or proxy');
  if (argv.includes('--scenario') && !options.scenario) throw new Error('--scenario needs a name');
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const meta = provenance(REPO_ROOT);
  console.error(`conformance: ${provenanceLine(meta)}`);
  const workDir = await mkdtemp(join(tmpdir(), 'mcp-orch-conformance-'));
  const servers = [];
  try {
    const cli = await resolveConformanceCli();
    const all = await listServerScenarios(cli);
    if (options.scenario && !all.includes(options.scenario))
      throw new Error(`unknown scenario '${options.scenario}'; known: ${all.join(', ')}`);
    const scenarios = options.scenario ? [options.scenario] : all;

    const urls = {};
    for (const path of options.paths) {
      const server = path === 'direct' ? await startDirect() : await startProxy(workDir);
      servers.push(server);
      urls[path] = server.url;
      console.error(`${path}: ${server.url}`);
    }

    const results = Object.fromEntries(options.paths.map((path) => [path, new Map()]));
    for (const scenario of scenarios) {
      for (const path of options.paths) {
        if (interrupted) throw new Error('interrupted');
        const checks = await runScenario(cli, urls[path], scenario, join(workDir, 'results', path, scenario));
        results[path].set(scenario, tally(checks));
      }
      console.error(`${scenario.padEnd(32)} ${options.paths.map((path) => `${path} ${cell(results[path].get(scenario))}`).join('  ')}`);
    }
    printReport(scenarios, results, options.paths);
    if (options.json) {
      const byPath = Object.fromEntries(options.paths.map((path) => [path, Object.fromEntries(results[path])]));
      await writeFile(options.json, JSON.stringify({ ...meta, suite: CONFORMANCE_PACKAGE, scenarios, results: byPath }, null, 2));
      console.log(`raw results written to ${options.json}`);
    }

    const failed = (path, name) => results[path].get(name).fail > 0;
    const regressions =
      options.paths.length === 2
        ? scenarios.filter((name) => failed('proxy', name) && !failed('direct', name))
        : scenarios.filter((name) => failed(options.paths[0], name));
    if (regressions.length > 0) {
      console.log(`\nFailing${options.paths.length === 2 ? ' only through the proxy' : ''}: ${regressions.join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    await Promise.all(servers.map((server) => stop(server.process)));
    await Promise.all([...children].map(stop));
    await rm(workDir, { recursive: true, force: true });
  }
}

// Children run in their own process groups, so a Ctrl-C at the terminal reaches only us: stop
// them, and let main() unwind through its cleanup. A second signal exits at once (the exit
// handler still kills what is left).
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    void Promise.all([...children].map(stop));
  });
}

main().catch((error) => {
  console.error(`conformance: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = interrupted ? 130 : 2;
});
