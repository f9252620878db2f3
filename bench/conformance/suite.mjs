// The official MCP conformance suite for `npm run conformance`: where it and the Node 22 it needs
// come from, how one requirement set is run against a URL, and how its results are scored.
//
// The suite (@modelcontextprotocol/conformance) needs Node 22; this project runs on Node 20. Both
// are npm packages installed on first use into a cache folder, outside the project's dependencies:
// the platform's Node comes as `node-<os>-<arch>@22` (os-restricted packages that `npm ci` on
// another platform could not install, and 185 MB that only this bench needs). With Node ≥ 22 already
// running, that package is not fetched.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { registerProcess, stopTree } from '../proxy/processes.mjs';

export const SUITE_VERSION = '0.2.0-alpha.12';
export const SUITE_PACKAGE = `@modelcontextprotocol/conformance@${SUITE_VERSION}`;
export const REQUIREMENT_SETS = ['2025-11-25', '2026-07-28'];

const SET_TIMEOUT_MS = 15 * 60_000;
const INSTALL_TIMEOUT_MS = 10 * 60_000;
const MESSAGE_CHARS = 600;

/** The npm package that holds this platform's Node 22 binary, and the binary's path inside it. */
function nodePackage() {
  const os = process.platform === 'win32' ? 'win' : process.platform;
  const name = `node-${os}-${process.arch}`;
  return { name, spec: `${name}@22`, binary: process.platform === 'win32' ? 'node.exe' : join('bin', 'node') };
}

/** The cache folder: $MCP_ORCH_CONFORMANCE_TOOLS, else <XDG cache>/mcp-orch/conformance-<version>. */
export function toolsDir() {
  if (process.env.MCP_ORCH_CONFORMANCE_TOOLS) return process.env.MCP_ORCH_CONFORMANCE_TOOLS;
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'mcp-orch', `conformance-${SUITE_VERSION}`);
}

function run(command, args, { cwd, timeoutMs, env = process.env }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid === undefined) return reject(new Error(`could not spawn ${command}`));
    registerProcess(child.pid);
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk).slice(-20_000);
    };
    child.stdout.setEncoding('utf8').on('data', keep);
    child.stderr.setEncoding('utf8').on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void stopTree(child.pid);
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, output });
    });
  });
}

function installedVersion(dir, name) {
  try {
    return JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/**
 * The suite's CLI and a Node ≥ 22 to run it with, installed into `dir` from the npm registry when
 * missing (the first run needs the network; later runs do not).
 */
export async function ensureTools(dir = toolsDir()) {
  const ownMajor = Number(process.versions.node.split('.')[0]);
  const node = nodePackage();
  const wanted = [];
  if (installedVersion(dir, '@modelcontextprotocol/conformance') !== SUITE_VERSION) wanted.push(SUITE_PACKAGE);
  if (ownMajor < 22 && !installedVersion(dir, node.name)?.startsWith('22.')) wanted.push(node.spec);
  if (wanted.length > 0) {
    console.error(`conformance: installing ${wanted.join(' and ')} into ${dir} (first run only)…`);
    await mkdir(dir, { recursive: true });
    if (!existsSync(join(dir, 'package.json'))) {
      await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'mcp-orch-conformance-tools', private: true }, null, 2));
    }
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = await run(npm, ['install', '--no-audit', '--no-fund', '--save-exact', ...wanted], {
      cwd: dir,
      timeoutMs: INSTALL_TIMEOUT_MS,
    });
    if (result.code !== 0) throw new Error(`npm install in ${dir} failed:\n${result.output}`);
  }
  const nodePath = ownMajor >= 22 ? process.execPath : join(dir, 'node_modules', node.name, node.binary);
  const cli = realpathSync(join(dir, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js'));
  const version = (await run(nodePath, ['--version'], { timeoutMs: 30_000 })).output.trim();
  return { dir, node: nodePath, nodeVersion: version, cli, nodeModules: join(dir, 'node_modules') };
}

/** The scenarios of a `leg` (`server`, or `client` for `conformance client`) a set scores, and those it runs without scoring (with the reason). */
export function readRequirements(tools, set, leg = 'server') {
  const yaml = createRequire(join(tools.nodeModules, 'index.js'))('yaml');
  const file = join(tools.nodeModules, '@modelcontextprotocol', 'conformance', 'requirements', `${set}.yaml`);
  const parsed = yaml.parse(readFileSync(file, 'utf8'));
  const unscored = (parsed.not_scored ?? [])
    .filter((entry) => entry.leg === leg)
    .map((entry) => ({ scenario: entry.scenario, reason: entry.reason }));
  return { scored: parsed[leg] ?? [], unscored };
}

/**
 * Runs `conformance server --requirements <set>` against `url`; its per-scenario results land in
 * `outDir`. `preload` (a file URL) is loaded into the suite's process with `--import`, `env` added.
 */
export async function runSet(tools, { url, set, outDir, preload, env = {} }) {
  await mkdir(outDir, { recursive: true });
  const args = [...(preload ? ['--import', preload] : []), tools.cli, 'server', '--url', url, '--requirements', set, '-o', outDir];
  const started = Date.now();
  const result = await run(tools.node, args, { timeoutMs: SET_TIMEOUT_MS, env: { ...process.env, ...env } });
  await writeFile(join(outDir, 'suite-output.txt'), result.output);
  return { ...result, seconds: Math.round((Date.now() - started) / 100) / 10 };
}

/**
 * Runs `conformance client --command <command>` into `outDir`: the whole set (`--requirements
 * <set>`, every scenario at once, as the suite runs it), or, with `scenario`, that one scenario at
 * the set's wire version (`--scenario <s> --spec-version <set> --force`, what the set runs it with).
 */
export async function runClientSet(tools, { command, set, outDir, timeoutMs, scenario }) {
  await mkdir(outDir, { recursive: true });
  const selection = scenario ? ['--scenario', scenario, '--spec-version', set, '--force'] : ['--requirements', set];
  const args = [tools.cli, 'client', '--command', command, ...selection, '--timeout', String(timeoutMs), '-o', outDir];
  const started = Date.now();
  const result = await run(tools.node, args, { timeoutMs: SET_TIMEOUT_MS, env: process.env });
  const name = scenario ? `suite-output-${scenario.replaceAll('/', '_')}.txt` : 'suite-output.txt';
  await writeFile(join(outDir, name), result.output);
  return { ...result, seconds: Math.round((Date.now() - started) / 100) / 10 };
}

const RESULT_FOLDER = /^(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$/;

/**
 * The checks of each scenario run into `outDir`: folders `server-<scenario>-<timestamp>` (server
 * leg), or `<scenario>-<timestamp>` with `auth/…` scenarios one folder down (client leg).
 */
async function readChecks(outDir, leg = 'server') {
  const byScenario = new Map();
  const folders = [];
  for (const entry of await readdir(outDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    if (leg === 'client' && !RESULT_FOLDER.test(entry.name)) {
      for (const inner of await readdir(join(outDir, entry.name))) folders.push(`${entry.name}/${inner}`);
    } else folders.push(entry.name);
  }
  for (const folder of folders) {
    const match = RESULT_FOLDER.exec(folder);
    if (!match) continue;
    const name = leg === 'server' ? /^server-(.+)$/.exec(match[1])?.[1] : match[1];
    if (!name) continue;
    try {
      byScenario.set(name, JSON.parse(await readFile(join(outDir, folder, 'checks.json'), 'utf8')));
    } catch {
      // No checks written: the scenario counts as not passed.
    }
  }
  return byScenario;
}

const clip = (text) => (typeof text === 'string' && text.length > MESSAGE_CHARS ? `${text.slice(0, MESSAGE_CHARS)}…` : text);

/** A scenario's outcome: it passes when it ran and none of its checks is a FAILURE (as the suite counts). */
function outcome(checks) {
  if (!checks) return { passed: false, counts: {}, checks: [], note: 'no result (the suite wrote no checks for it)' };
  const counts = {};
  for (const check of checks) counts[check.status] = (counts[check.status] ?? 0) + 1;
  return {
    passed: !checks.some((check) => check.status === 'FAILURE'),
    counts,
    // The checks that decide or warn; the rest are in `counts`.
    checks: checks
      .filter((check) => check.status === 'FAILURE' || check.status === 'WARNING')
      .map((check) => ({
        id: check.id,
        name: check.name,
        status: check.status,
        errorMessage: clip(check.errorMessage),
        // What the check asked, for the checks that fail without a message.
        ...(check.errorMessage ? {} : { description: clip(check.description) }),
      })),
  };
}

/** Scores a set's results in `outDir` against its requirements (of the `leg` they were run for). */
export async function scoreSet(requirements, outDir, leg = 'server') {
  const checks = await readChecks(outDir, leg);
  const tally = (names) => {
    const scenarios = Object.fromEntries(names.map((name) => [name, outcome(checks.get(name))]));
    const passed = names.filter((name) => scenarios[name].passed).length;
    return { passed, total: names.length, scenarios };
  };
  const unscored = tally(requirements.unscored.map((entry) => entry.scenario));
  for (const entry of requirements.unscored) unscored.scenarios[entry.scenario].reason = entry.reason;
  return { scored: tally(requirements.scored), unscored };
}

/** The first failing checks of a scenario, as one short line. */
export function failureLine(result) {
  if (result.note) return result.note;
  const failed = result.checks.filter((check) => check.status === 'FAILURE');
  const first = failed[0];
  const message = (first?.errorMessage ?? first?.description ?? '').replace(/\s+/g, ' ').slice(0, 160);
  return `${failed.length} failed check(s); first ${first?.id}: ${message}`;
}
