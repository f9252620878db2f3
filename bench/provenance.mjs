// Where a benchmark's figures come from: the commit (and whether tracked files differed from it),
// the command line, the date and the machine. Every bench writes it into its --json file and prints
// it above its table, so a published figure names the run that made it.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { relative } from 'node:path';

/** The provenance of a run of `script` (its path) started with `argv` (process.argv), in the repository at `repoRoot`. */
export function provenance(repoRoot, argv = process.argv) {
  const git = (...args) => execFileSync('git', ['-C', repoRoot, ...args], { encoding: 'utf8' }).trim();
  const script = relative(repoRoot, argv[1] ?? '');
  return {
    commit: git('rev-parse', '--short', 'HEAD'),
    dirty: git('status', '--porcelain', '--untracked-files=no') !== '',
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
  return `commit ${meta.commit}${meta.dirty ? ' (+ uncommitted changes)' : ''} · ${meta.command} · ${meta.date} · Node ${meta.node} · ${meta.cpus} × ${meta.cpuModel} · load average ${meta.loadAverage.join(' ')}`;
}
