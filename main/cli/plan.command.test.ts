/**
 * `mcp-orch plan` run as a user would run it, against a real daemon in batch mode on 127.0.0.1
 * with the batch fixture as server `a` and `orch.planner` at a local endpoint speaking Azure
 * OpenAI's wire format.
 */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USAGE, planReply, startPlannerDaemon, type PlannerDaemon } from '../core/planner/__fixtures__/planner-daemon.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'main/cli/main.ts');

let daemon: PlannerDaemon;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // The daemon's data folder: the CLI finds its session token there.
    const env = { PATH: process.env.PATH, HOME: daemon.harness.dir, MCP_ORCH_HOME: daemon.harness.dir };
    execFile(
      process.execPath,
      ['--import', 'tsx', MAIN, ...args, '--url', daemon.harness.runtime.url],
      { cwd: ROOT, env, timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

const CHAIN = {
  tasks: [
    { id: 'e', tool: 'a__emit' },
    { id: 't', tool: 'a__typed', arguments: { count: '{{e.structuredContent.count}}' } },
  ],
};

beforeAll(async () => {
  daemon = await startPlannerDaemon();
});

afterAll(async () => {
  await daemon?.dispose();
});

describe('mcp-orch plan', () => {
  it('prints the plan as waves, each task as it ends, then the results', async () => {
    daemon.answer('CLI-CHAIN', planReply(CHAIN));
    const result = await cli(['plan', 'CLI-CHAIN: emit, then type the count']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`^plan: 2 tasks in 2 waves, planned in \\d+ ms \\(${USAGE.input} \\+ ${USAGE.output} tokens\\)$`, 'm'),
    );
    expect(result.stdout).toContain('  wave 1: e (a__emit)\n  wave 2: t (a__typed)\n');
    expect(result.stderr).toBe('[1/2] e succeeded\n[2/2] t succeeded\n');
    expect(result.stdout).toMatch(/^TASK +TOOL +STATUS +MS +RESULT \/ ERROR$/m);
    // The answer is the result of the task nothing depends on; "e" only fed "t".
    expect(result.stdout).toMatch(/^e +a__emit +succeeded +\d+$/m);
    expect(result.stdout).toMatch(/^t +a__typed +succeeded +\d+ +\{"count":3\}$/m);
    expect(result.stdout).toMatch(/^succeeded: 2 tasks in \d+ ms/m);
    // The plan line comes before the table.
    expect(result.stdout.indexOf('wave 2')).toBeLessThan(result.stdout.indexOf('TASK'));
  });

  it('prints the plan only on --dry-run, with the tools that would need approval, and runs nothing', async () => {
    daemon.answer(
      'CLI-DRY',
      planReply({
        tasks: [
          { id: 'e', tool: 'a__emit' },
          { id: 'w', tool: 'a__write', arguments: { text: 'cli-dry' }, dependsOn: ['e'] },
        ],
      }),
    );
    const runs = daemon.harness.runtime.store.runs.list(1000).length;
    const result = await cli(['plan', 'CLI-DRY: emit, then write', '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^plan: 2 tasks in 2 waves, planned in \d+ ms/m);
    expect(result.stdout).toContain('  wave 1: e (a__emit)\n  wave 2: w (a__write)\n');
    expect(result.stdout).toContain('needs approval: a__write');
    expect(result.stdout).toContain('"tool": "a__write"');
    expect(daemon.harness.runtime.store.runs.list(1000)).toHaveLength(runs);
  });

  it('prints the run as JSON with --json, its planning figures included', async () => {
    daemon.answer('CLI-JSON', planReply(CHAIN));
    const result = await cli(['plan', 'CLI-JSON: emit, then type the count', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: 'succeeded',
      source: 'api',
      request: 'CLI-JSON: emit, then type the count',
      planning: { inputTokens: USAGE.input, outputTokens: USAGE.output, cacheHit: false },
      tasks: [
        { id: 'e', status: 'succeeded' },
        { id: 't', status: 'succeeded' },
      ],
    });
  });

  it('exits 1 when a task fails, showing its error', async () => {
    daemon.answer('CLI-FAIL', planReply({ tasks: [{ id: 'f', tool: 'a__fail' }] }));
    const result = await cli(['plan', 'CLI-FAIL: fail on purpose']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('[1/1] f failed\n');
    expect(result.stdout).toMatch(/^f +a__fail +failed +\d+ +failed on purpose/m);
    expect(result.stdout).toMatch(/^failed: 1 tasks in/m);
  });

  it('exits 1 with what the planner said when it cannot plan', async () => {
    daemon.answer('CLI-500', { kind: 'status', status: 500 });
    const result = await cli(['plan', 'CLI-500: anything']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^mcp-orch plan: azure \(gpt-4\.1\) failed \(HTTP 500\)/);
    const json = await cli(['plan', 'CLI-500: anything', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'server_unavailable', details: { plannerError: 'provider_error' } } });
  });

  it('cancels the run on Ctrl-C, and the table says so', async () => {
    daemon.answer('CLI-HOLD', planReply({ tasks: [{ id: 'hold', tool: 'a__block', arguments: { label: 'cli-hold' } }] }));
    const env = { PATH: process.env.PATH, HOME: daemon.harness.dir, MCP_ORCH_HOME: daemon.harness.dir };
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'plan', 'CLI-HOLD: block', '--url', daemon.harness.runtime.url], {
      cwd: ROOT,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // Once the plan is printed, the run is under way.
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('wave 1: hold (a__block)')) resolve();
      }),
    );
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    expect(stderr).toContain('cancelling the run…');
    expect(stdout).toMatch(/^hold +a__block +cancelled +/m);
    expect(stdout).toMatch(/^cancelled: 1 tasks in/m);
  });

  it('exits 2 on an empty request, before asking the daemon', async () => {
    const result = await cli(['plan', '  ']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('say what to do');
  });
});
