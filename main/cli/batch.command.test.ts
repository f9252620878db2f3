/**
 * `mcp-orch batch` run as a user would run it, against a real daemon in batch mode on 127.0.0.1
 * with the batch fixture as server `a`.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureServer, startHarness, type Harness } from '../core/__fixtures__/runtime-harness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'main/cli/main.ts');
const BATCH_SERVER = fileURLToPath(new URL('../core/batch/__fixtures__/batch-server.mjs', import.meta.url));

let harness: Harness;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // The daemon's data folder: the CLI finds its session token there.
    const env = { PATH: process.env.PATH, HOME: harness.dir, MCP_ORCH_HOME: harness.dir };
    execFile(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, env, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  harness = await startHarness({ a: fixtureServer(BATCH_SERVER) }, { orch: { mode: 'batch' } });
});

afterAll(async () => {
  await harness?.dispose();
});

describe('mcp-orch batch', () => {
  it('runs a plan file, shows each task as it finishes, and prints the report', async () => {
    const path = join(harness.dir, 'plan.json');
    await writeFile(
      path,
      JSON.stringify({
        tasks: [
          { id: 'e', tool: 'a__emit' },
          { id: 't', tool: 'a__typed', arguments: { count: '{{e.structuredContent.count}}' } },
        ],
      }),
    );
    const result = await cli(['batch', path, '--url', harness.runtime.url]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('[1/2] e succeeded\n[2/2] t succeeded\n');
    expect(result.stdout).toMatch(/^TASK +TOOL +STATUS +MS +RESULT \/ ERROR$/m);
    // The answer carries the result of the task nothing depends on; "e" only fed "t".
    expect(result.stdout).toMatch(/^e +a__emit +succeeded +\d+$/m);
    expect(result.stdout).toMatch(/^t +a__typed +succeeded +\d+ +\{"count":3\}$/m);
    expect(result.stdout).toMatch(/^succeeded: 2 tasks in \d+ ms/m);
  });

  it('prints every problem of an invalid plan and fails', async () => {
    const path = join(harness.dir, 'bad.json');
    await writeFile(
      path,
      JSON.stringify({
        tasks: [
          { id: 'x', tool: 'a__nope' },
          { id: 'y', tool: 'a__typed', arguments: { count: 'one' } },
        ],
      }),
    );
    const result = await cli(['batch', path, '--url', harness.runtime.url, '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      error: { code: 'bad_request', message: expect.stringContaining('The plan has 2 problems') as unknown },
    });
  });
});
