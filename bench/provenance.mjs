// Where a benchmark's figures come from: the commit (and whether tracked files differed from it),
// the command line, the date and the machine. Every bench writes it into its --json file and prints
// it above its table, so a published figure names the run that made it.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, relative } from 'node:path';

/** The build output of a source file, or undefined when it has none of its own (the dashboard is one bundle). */
const BUILDS = [
  { name: 'daemon', sources: ['main/core', 'main/cli', 'shared'], output: (file) => `dist/${file.replace(/\.ts$/, '.js')}` },
  { name: 'dashboard', sources: ['renderer/src', 'shared'], output: () => 'dist/renderer/index.html' },
];

/**
 * The builds in `dist/` older than a source file of theirs (each file against its own output; tsc
 * builds incrementally and leaves unchanged outputs alone): a run of them would not be of the
 * commit it names. A build that is not there at all is the bench's own error to report.
 */
function staleBuilds(repoRoot, git) {
  return BUILDS.filter(({ sources, output }) =>
    git('ls-files', '--', ...sources)
      .split('\n')
      .filter((file) => /\.(ts|tsx|css|html)$/.test(file) && !/\.(test|d)\.tsx?$/.test(file) && !file.includes('__fixtures__'))
      .some((file) => {
        const built = join(repoRoot, output(file));
        const source = join(repoRoot, file);
        return existsSync(built) && existsSync(source) && statSync(source).mtimeMs > statSync(built).mtimeMs;
      }),
  ).map(({ name }) => name);
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
  const stale = meta.staleBuild?.length
    ? ` (STALE BUILD: dist/ is older than the sources of the ${meta.staleBuild.join(' and ')}; run npm run build)`
    : '';
  return `commit ${meta.commit}${meta.dirty ? ' (+ uncommitted changes)' : ''}${stale} · ${meta.command} · ${meta.date} · Node ${meta.node} · ${meta.cpus} × ${meta.cpuModel} · load average ${meta.loadAverage.join(' ')}`;
}
