/**
 * `mcp-orch serve` run as a user runs it: a change to the config file that cannot be applied is
 * printed with its JSON path (the last good configuration keeps running), and a valid one says
 * what it changed.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_TOKEN, exampleServer } from '../core/__fixtures__/runtime-harness.js';
import { pollFor } from '../core/__fixtures__/wait.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let home: string | undefined;

afterAll(async () => {
  if (home) await rm(home, { recursive: true, force: true });
});

describe('mcp-orch serve', () => {
  it('prints a config change it refuses, with the JSON path, and what a valid change did', async () => {
    home = await mkdtemp(join(tmpdir(), 'mcp-orch-serve-'));
    const configPath = join(home, 'mcp-config.json');
    await writeFile(configPath, JSON.stringify({ mcpServers: { example: exampleServer() } }));
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/main.ts', 'serve', '--config', configPath, '--port', '0'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: home, MCP_ORCH_HOME: home, MCP_ORCH_TOKEN: TEST_TOKEN, MCP_ORCH_LOGIN_SHELL_PATH: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    /** Waits until `check` holds of the output; fails at once if serve exits first. */
    const waitForOutput = (what: string, check: () => boolean): Promise<true> =>
      pollFor(
        what,
        () => {
          if (child.exitCode !== null) throw new Error(`serve exited while waiting for ${what}:\n${stdout}\n${stderr}`);
          return check();
        },
        60_000,
      );
    try {
      await waitForOutput('the start', () => stdout.includes('Press Ctrl-C'));
      await writeFile(
        configPath,
        JSON.stringify({ mcpServers: { example: exampleServer({ env: { TOKEN: '${env:SERVE_TEST_UNSET}' } }) } }),
      );
      await waitForOutput('the refused change', () => stderr.includes('not applied'));
      expect(stderr).toContain('mcpServers.example.env.TOKEN: environment variable SERVE_TEST_UNSET is not set');
      await writeFile(configPath, JSON.stringify({ mcpServers: { example: exampleServer(), second: exampleServer() } }));
      await waitForOutput('the applied change', () => stdout.includes('config reloaded'));
      expect(stdout).toContain('config reloaded: added second');
    } finally {
      child.kill('SIGTERM');
    }
  }, 120_000);
});
