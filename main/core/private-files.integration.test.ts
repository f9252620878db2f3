/**
 * What the daemon keeps on disk is private to its user: the data folder (store, session token) is
 * 0700 even when it existed before with looser rights, and the store's files are 0600.
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_TOKEN, exampleServer } from './__fixtures__/runtime-harness.js';
import { appPaths } from './config/app-paths.js';
import { createRuntime, type Runtime } from './runtime.js';

const modeOf = (path: string): number => statSync(path).mode & 0o777;
let runtime: Runtime | undefined;
let home: string | undefined;

afterAll(async () => {
  await runtime?.dispose();
  if (home) await rm(home, { recursive: true, force: true });
});

// POSIX only: Windows has no 0700/0600 file modes.
describe.skipIf(process.platform === 'win32')('files of the daemon', () => {
  it('are readable by their user only', async () => {
    home = await mkdtemp(join(tmpdir(), 'mcp-orch-private-'));
    const env = { ...process.env, MCP_ORCH_HOME: home, MCP_ORCH_TOKEN: TEST_TOKEN, MCP_ORCH_LOGIN_SHELL_PATH: '0' };
    const { dataDir } = appPaths(env);
    mkdirSync(dataDir, { recursive: true });
    chmodSync(dataDir, 0o755);
    const configPath = join(home, 'mcp-config.json');
    await writeFile(configPath, JSON.stringify({ mcpServers: { example: exampleServer() } }));
    runtime = await createRuntime({ configPath, port: 0, host: '127.0.0.1', env, logDir: join(home, 'logs') });
    await runtime.ready;
    const database = join(dataDir, 'mcp-orch.db');
    expect(modeOf(dataDir)).toBe(0o700);
    for (const file of [database, `${database}-wal`, join(dataDir, 'session-token')]) expect(modeOf(file), file).toBe(0o600);
  });
});
