// How `npm run conformance` scores a requirement set from the suite's result folders: a scenario
// passes when it wrote checks and none is a FAILURE; one with no result is failed, not dropped.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

interface Outcome {
  passed: boolean;
  note?: string;
  reason?: string;
  counts: Record<string, number>;
  checks: { id: string; status: string }[];
}
interface Tally {
  passed: number;
  total: number;
  scenarios: Record<string, Outcome>;
}
interface SuiteModule {
  scoreSet(
    requirements: { scored: string[]; unscored: { scenario: string; reason: string }[] },
    outDir: string,
    leg?: 'server' | 'client',
  ): Promise<{ scored: Tally; unscored: Tally }>;
}

const suite = (await import(pathToFileURL(join(import.meta.dirname, 'suite.mjs')).href)) as SuiteModule;

async function writeChecks(dir: string, folder: string, statuses: string[]): Promise<void> {
  await mkdir(join(dir, folder), { recursive: true });
  const checks = statuses.map((status, index) => ({
    id: `check-${index}`,
    name: `Check${index}`,
    status,
    errorMessage: `${status} message`,
  }));
  await writeFile(join(dir, folder, 'checks.json'), JSON.stringify(checks));
}

describe('scoreSet', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('passes a scenario without FAILURE, fails one with a FAILURE or without results, and keeps unscored apart', async () => {
    dir = await mkdtemp(join(tmpdir(), 'conformance-score-'));
    await writeChecks(dir, 'server-tools-list-2026-12-07T17-03-39-567Z', ['SUCCESS', 'WARNING', 'INFO']);
    await writeChecks(dir, 'server-caching-2026-12-07T17-03-39-600Z', ['SUCCESS', 'FAILURE']);
    await writeChecks(dir, 'server-input-required-result-basic-elicitation-2026-12-07T17-03-40-001Z', ['SUCCESS']);
    await writeChecks(dir, 'server-tasks-lifecycle-2026-12-07T17-03-41-000Z', ['FAILURE']);
    await mkdir(join(dir, 'not-a-scenario'));

    const score = await suite.scoreSet(
      {
        scored: ['tools-list', 'caching', 'input-required-result-basic-elicitation', 'prompts-list'],
        unscored: [{ scenario: 'tasks-lifecycle', reason: 'extension' }],
      },
      dir,
    );

    expect(score.scored.passed).toBe(2);
    expect(score.scored.total).toBe(4);
    expect(score.scored.scenarios['tools-list']).toMatchObject({ passed: true, counts: { SUCCESS: 1, WARNING: 1, INFO: 1 } });
    // Only the checks that decide or warn are kept in detail.
    expect(score.scored.scenarios['tools-list']?.checks.map((check) => check.status)).toEqual(['WARNING']);
    expect(score.scored.scenarios.caching).toMatchObject({ passed: false, checks: [{ id: 'check-1', status: 'FAILURE' }] });
    expect(score.scored.scenarios['input-required-result-basic-elicitation']?.passed).toBe(true);
    expect(score.scored.scenarios['prompts-list']?.passed).toBe(false);
    expect(score.scored.scenarios['prompts-list']?.note).toContain('no result');
    expect(score.unscored).toMatchObject({ passed: 0, total: 1, scenarios: { 'tasks-lifecycle': { passed: false, reason: 'extension' } } });
  });

  it('reads the client leg: folders without the server- prefix, auth/… scenarios one folder down', async () => {
    dir = await mkdtemp(join(tmpdir(), 'conformance-score-'));
    await writeChecks(dir, 'tools_call-2026-12-07T19-50-10-168Z', ['SUCCESS']);
    await writeChecks(dir, 'http-custom-headers-2026-12-07T19-50-10-187Z', ['SUCCESS', 'FAILURE']);
    await writeChecks(dir, 'auth/basic-cimd-2026-12-07T19-50-10-186Z', ['SUCCESS', 'INFO']);
    await writeChecks(dir, 'auth/dpop-2026-12-07T19-50-10-186Z', ['FAILURE']);
    // A server-leg folder is not a client scenario's result.
    await writeChecks(dir, 'server-tools_call-2026-12-07T19-50-10-168Z', ['FAILURE']);

    const score = await suite.scoreSet(
      {
        scored: ['tools_call', 'http-custom-headers', 'auth/basic-cimd', 'auth/pre-registration'],
        unscored: [{ scenario: 'auth/dpop', reason: 'extension' }],
      },
      dir,
      'client',
    );

    expect(score.scored.passed).toBe(2);
    expect(score.scored.scenarios.tools_call?.passed).toBe(true);
    expect(score.scored.scenarios['auth/basic-cimd']?.passed).toBe(true);
    expect(score.scored.scenarios['http-custom-headers']?.passed).toBe(false);
    expect(score.scored.scenarios['auth/pre-registration']?.note).toContain('no result');
    expect(score.unscored.scenarios['auth/dpop']).toMatchObject({ passed: false, reason: 'extension' });
  });
});
