/**
 * Fault tests of the supervisor, continued: a server that cannot start or exits during startup
 * holds nothing up, and stop, restart and quit leave no child or grandchild behind. Real stdio
 * children and a real daemon per test.
 */
import { describe, expect, it } from 'vitest';
import { recordStates } from '../__fixtures__/runtime-harness.js';
import { isAlive } from './process-tree.js';
import {
  echo,
  failureOf,
  faultServer,
  faultSuite,
  initializeBody,
  postJson,
  errorMessageOf,
  supervisorOf,
  type Pids,
} from './__fixtures__/fault-kit.js';

const { start, quit, pidsOf } = faultSuite();

describe('a server that cannot start', () => {
  it('is failed with the spawn error, and other servers are unaffected', async () => {
    const h = await start({
      missing: { command: 'mcp-orch-test-no-such-command' },
      'missing-path': { command: '/nonexistent/mcp-orch/server' },
      healthy: faultServer(),
    });
    const missing = supervisorOf(h, 'missing');
    expect(missing.state).toBe('failed');
    expect(missing.status().lastError).toMatch(/cannot start "mcp-orch-test-no-such-command": command not found/);
    const missingPath = supervisorOf(h, 'missing-path');
    expect(missingPath.state).toBe('failed');
    expect(missingPath.status().lastError).toMatch(/cannot start "\/nonexistent\/mcp-orch\/server": .*(no such file|not found)/);
    expect(supervisorOf(h, 'healthy').state).toBe('running');

    // The raw exchange: one JSON-RPC error answer to initialize, not a hang and not a 5xx.
    const response = await postJson(h.url('/mcp/missing'), initializeBody(1));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ jsonrpc: '2.0', id: 1, error: { code: -32000 } });
    expect(errorMessageOf(response.body)).toMatch(/server "missing".*command not found/);
  });
});

describe('a server that exits during startup', () => {
  it('does not hold up the daemon: it is retried with backoff, its stderr kept, other servers serve', async () => {
    const exits = {
      command: process.execPath,
      args: ['-e', "process.stderr.write('missing GITHUB_TOKEN\\n'); process.exit(1)"],
      timeout: 1,
    };
    const h = await start({ exits, healthy: faultServer() });
    const server = supervisorOf(h, 'exits');
    const states = recordStates(server.onDidChangeState);
    // Whatever attempt it is in, it ends in backoff again (or failed, on a very slow machine).
    if (server.state !== 'backoff' && server.state !== 'failed') await states.until('backoff');

    expect(server.status().lastError).toMatch(/exited unexpectedly: exited with code 1/);
    expect(server.logs.entries().map((entry) => entry.line)).toContain('missing GITHUB_TOKEN');
    const healthy = await h.connect('healthy', 'streamable');
    expect(await echo(healthy, 'unaffected')).toBe('unaffected');
  });
});

describe('no orphans', () => {
  it('leaves no child or grandchild after stop, restart and quit', async () => {
    const h = await start({ tree: faultServer({}, ['--grandchild']) });
    const server = supervisorOf(h, 'tree');
    const client = await h.connect('tree', 'streamable');
    const alive = (pids: Pids): boolean[] => [isAlive(pids.pid), isAlive(pids.grandchild ?? -1)];

    const first = await pidsOf(client);
    expect(first.grandchild).toBeTypeOf('number');
    expect(alive(first)).toEqual([true, true]);

    await server.stop();
    expect(server.state).toBe('stopped');
    expect(alive(first)).toEqual([false, false]);

    await server.start();
    const second = await pidsOf(client);
    expect(alive(second)).toEqual([true, true]);

    await server.restart();
    expect(server.state).toBe('running');
    expect(alive(second)).toEqual([false, false]);
    const third = await pidsOf(client);
    expect(third.pid).not.toBe(second.pid);
    expect(alive(third)).toEqual([true, true]);

    await quit();
    expect(alive(third)).toEqual([false, false]);
  });

  it('leaves nothing behind when quitting while a server waits to restart', async () => {
    const h = await start({ faulty: faultServer() });
    const server = supervisorOf(h, 'faulty');
    const client = await h.connect('faulty', 'sse');
    const { pid } = await pidsOf(client);
    const states = recordStates(server.onDidChangeState);

    const error = await failureOf(client.callTool({ name: 'crash' }));
    expect(error.message).toMatch(/server "faulty" crashed \(exited with code 1\)/);
    await states.until('backoff');
    expect(isAlive(pid)).toBe(false);

    await quit();
    expect(server.state).toBe('stopped');
    expect(states.states.slice(0, 2)).toEqual(['crashed', 'backoff']);
    expect(states.states.at(-1)).toBe('stopped');
  });
});
