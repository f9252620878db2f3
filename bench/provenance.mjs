// Where a benchmark's figures come from: the commit (and whether tracked files differed from it),
// the command line, the date and the machine. Every bench writes it into its --json file and prints
// it above its table, so a published figure names the run that made it.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, relative } from 'node:path';

/** What the benches run from `dist/`, and the sources it is built from. */
const BUILDS = [
  { name: 'daemon', output: 'dist/main/core/runtime.js', sources: ['main/core', 'main/cli', 'shared'] },
  { name: 'dashboard', output: 'dist/renderer/index.html', sources: ['renderer/src', 'shared'] },
];

/** The builds in `dist/` older than a source file of theirs: a run of them would not be of the commit it names. */
function staleBuilds(repoRoot, git) {
  return BUILDS.filter(({ output, sources }) => {
    const built = join(repoRoot, output);
    if (!existsSync(built)) return false;
    const builtAt = statSync(built).mtimeMs;
    return git('ls-files', '--', ...sources)
      .split('\n')
      .filter((file) => /\.(ts|tsx|css|html)$/.test(file) && !/\.test\.tsx?$/.test(file))
      .some((file) => existsSync(join(repoRoot, file)) && statSync(join(repoRoot, file)).mtimeMs > builtAt);
  }).map(({ name }) => name);
}

/** The provenance of a run of `script` (its path) started with `argv` (process.argv), in the repository at `repoRoot`. */
export function provenance(repoRoot, argv = process.argv) {
  const git = (...args) => execFileSync('git', ['-C', repoRoot, ...args], { encoding: 'utf8' }).trim();
  const script = relative(repoRoot, argv[1] ?? '');
  return {
    commit: git('rev-parse', '--short', 'HEAD'),
    dirty: git('status', '--porcelain', '--untracked-files=no') !== '',
    staleBuild: staleBuilds(repoRoot, git),
    command: ['node', script, ...argv.slice(2)].join(' '),
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    loadAverage: loadavg().map((value) => Number(value.toFixed(2))),
  };
}

/** One line for the top of a report: commit, command, date, Node, CPUs, load average. */
export function provenanceLine(meta) {
  const stale = meta.staleBuild?.length ? ` (STALE BUILD: dist/ is older than the sources of the ${meta.staleBuild.join(' and ')}; run npm run build)` : '';
  return `commit ${meta.commit}${meta.dirty ? ' (+ uncommitted changes)' : ''}${stale} · ${meta.command} · ${meta.date} · Node ${meta.node} · ${meta.cpus} × ${meta.cpuModel} · load average ${meta.loadAverage.join(' ')}`;
}
