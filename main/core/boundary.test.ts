/**
 * The layering rule (docs/architecture.md): main/core and shared run under plain Node and never load
 * 'electron', not even through a dependency. Every module is imported in a fresh Node process
 * whose loader refuses 'electron'.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function modulesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !path.includes('__fixtures__'));
}

describe('layering', () => {
  it('loads every module of main/core and shared without loading electron', async () => {
    const modules = [...modulesUnder('main/core'), ...modulesUnder('shared')];
    expect(modules.length).toBeGreaterThan(10);
    const script = `for (const m of ${JSON.stringify(modules.map((m) => relative(root, m)))}) await import('./' + m);
console.log('loaded', ${modules.length});`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--import', './main/core/__fixtures__/forbid-electron.mjs', '--input-type=module', '-e', script],
      { cwd: root },
    );
    expect(stdout.trim()).toBe(`loaded ${modules.length}`);
  });

  it('would notice an electron import (the guard itself works)', async () => {
    const run = promisify(execFile)(
      process.execPath,
      ['--import', './main/core/__fixtures__/forbid-electron.mjs', '--input-type=module', '-e', "await import('electron')"],
      { cwd: root },
    );
    await expect(run).rejects.toThrow(/electron was imported/);
  });
});
