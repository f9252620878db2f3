/**
 * The CLI commands that talk to a running daemon (`status`, `servers`, `tools`, `call`, `logs`,
 * `audit`), run as a user would run them, against a real daemon on 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_TOKEN, exampleServer, startHarness, type Harness } from '../core/__fixtures__/runtime-harness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'main/cli/main.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let harness: Harness;

/** Only PATH, HOME and MCP_ORCH_HOME (the daemon's data folder, with its session token) unless told. */
function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const env = { PATH: process.env.PATH, HOME: harness.dir, MCP_ORCH_HOME: harness.dir, ...extraEnv };
    execFile(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, env, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  harness = await startHarness({ example: exampleServer() });
});

afterAll(async () => {
  await harness?.dispose();
});

describe('CLI commands over the API', () => {
  it('status: mode and servers, with the session token of the daemon found on its own', async () => {
    const result = await cli(['status', '--url', harness.runtime.url]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`MCP Orch at ${harness.runtime.url}: proxy mode, 1 of 1 servers running`);
    expect(result.stdout).toMatch(/^example +running +3 +\d+ +0 +http:\/\/127\.0\.0\.1:\d+\/mcp\/example$/m);
    const json = await cli(['status', '--url', harness.runtime.url, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      url: harness.runtime.url,
      mode: 'proxy',
      servers: [{ name: 'example', state: 'running' }],
    });
  });

  it('tools: the catalog as a table and as JSON, with --token', async () => {
    const result = await cli(['tools', '--url', harness.runtime.url, '--token', TEST_TOKEN]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^SERVER +TOOL +AGGREGATED NAME +ENABLED +DESCRIPTION/);
    expect(result.stdout).toMatch(/^example +echo +example__echo +yes +Returns the text it is given\.$/m);
    const json = await cli(['tools', '--url', harness.runtime.url, '--json'], { MCP_ORCH_TOKEN: TEST_TOKEN });
    expect((JSON.parse(json.stdout) as { name: string }[]).map((tool) => tool.name).sort()).toEqual(['add', 'echo', 'now']);
  });

  it('call: prints the text and the structured content of the result', async () => {
    const result = await cli(['call', 'example', 'add', '--args', '{"a":2,"b":40}', '--url', harness.runtime.url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('42\n{\n  "sum": 42\n}\n');
    const json = await cli(['call', 'example', 'echo', '--args', '{"text":"hi"}', '--url', harness.runtime.url, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ result: { content: [{ type: 'text', text: 'hi' }] } });
  });

  it('servers restart, logs and audit', async () => {
    const restarted = await cli(['servers', 'restart', 'example', '--url', harness.runtime.url]);
    expect(restarted).toMatchObject({ code: 0, stdout: 'example: running\n' });
    const logs = await cli(['logs', 'example', '--url', harness.runtime.url, '--json']);
    expect(logs.code).toBe(0);
    expect(Array.isArray(JSON.parse(logs.stdout))).toBe(true);
    const audit = await cli(['audit', '--url', harness.runtime.url, '--action', 'servers.*']);
    expect(audit.stdout).toMatch(/servers\.restart +example +ok/);
  });

  it('fails clearly: unknown tool, bad --args, a refused token, no daemon', async () => {
    const unknown = await cli(['call', 'example', 'nope', '--url', harness.runtime.url]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('mcp-orch call: server "example" has no tool "nope"; its tools: echo, add, now');
    const unknownJson = await cli(['call', 'example', 'nope', '--url', harness.runtime.url, '--json']);
    expect(JSON.parse(unknownJson.stdout)).toMatchObject({ error: { code: 'unknown_tool' } });

    const badArgs = await cli(['call', 'example', 'add', '--args', '[1,2]', '--url', harness.runtime.url]);
    expect(badArgs.code).not.toBe(0);
    expect(badArgs.stderr).toContain('expected a JSON object');

    const refused = await cli(['status', '--url', harness.runtime.url, '--token', 'mo_wrong']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('mcp-orch status: unknown token');

    const down = await cli(['status', '--url', 'http://127.0.0.1:9']);
    expect(down.code).toBe(3);
    expect(down.stderr).toContain('no MCP Orch daemon answers at http://127.0.0.1:9');
    expect(down.stderr).toContain('mcp-orch serve');
  });
});
