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
    const until = async (check: () => boolean, what: string): Promise<void> => {
      while (!check()) {
        if (child.exitCode !== null) throw new Error(`serve exited while waiting for ${what}:\n${stdout}\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    try {
      await until(() => stdout.includes('Press Ctrl-C'), 'the start');
      await writeFile(
        configPath,
        JSON.stringify({ mcpServers: { example: exampleServer({ env: { TOKEN: '${env:SERVE_TEST_UNSET}' } }) } }),
      );
      await until(() => stderr.includes('not applied'), 'the refused change');
      expect(stderr).toContain('mcpServers.example.env.TOKEN: environment variable SERVE_TEST_UNSET is not set');
      await writeFile(configPath, JSON.stringify({ mcpServers: { example: exampleServer(), second: exampleServer() } }));
      await until(() => stdout.includes('config reloaded'), 'the applied change');
      expect(stdout).toContain('config reloaded: added second');
    } finally {
      child.kill('SIGTERM');
    }
  }, 120_000);
});
