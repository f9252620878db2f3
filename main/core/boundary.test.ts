/**
 * The layering rule (docs/architecture.md): main/core and shared run under plain Node and never load
 * 'electron', not even through a dependency. Every module is imported in a fresh Node process
 * whose loader refuses 'electron'.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
      ['--import', 'tsx', '--import', './main/core/__fixtures__/forbid-modules.mjs', '--input-type=module', '-e', script],
      { cwd: root, env: { ...process.env, FORBID_MODULES: 'electron' } },
    );
    expect(stdout.trim()).toBe(`loaded ${modules.length}`);
  });

  it('would notice an electron import (the guard itself works)', async () => {
    const run = promisify(execFile)(
      process.execPath,
      ['--import', './main/core/__fixtures__/forbid-modules.mjs', '--input-type=module', '-e', "await import('electron')"],
      { cwd: root, env: { ...process.env, FORBID_MODULES: 'electron' } },
    );
    await expect(run).rejects.toThrow(/electron was imported/);
  });

  it('starts a daemon without loading the AI SDK: the planner loads it on first use', async () => {
    // Most daemons have no planner; the SDK and its providers cost hundreds of milliseconds of every start.
    const script = `const { createRuntime } = await import('./main/core/runtime.ts');
const runtime = await createRuntime({ configPath: process.argv[1], port: 0, host: '127.0.0.1', env: { ...process.env, MCP_ORCH_HOME: process.argv[2] }, databasePath: ':memory:', watchConfig: false });
await runtime.dispose();
console.log('started and stopped');`;
    const home = await mkdtemp(join(tmpdir(), 'mcp-orch-lazy-'));
    try {
      const configPath = join(home, 'mcp-config.json');
      await writeFile(configPath, JSON.stringify({ mcpServers: {}, orch: { mode: 'batch' } }));
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          '--import',
          'tsx',
          '--import',
          './main/core/__fixtures__/forbid-modules.mjs',
          '--input-type=module',
          '-e',
          script,
          configPath,
          home,
        ],
        { cwd: root, env: { ...process.env, FORBID_MODULES: 'ai,@ai-sdk/,@aws-sdk/' } },
      );
      expect(stdout.trim()).toBe('started and stopped');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
