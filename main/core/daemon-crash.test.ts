/**
 * A daemon killed with SIGKILL during a burst of calls: the next start finds the store readable,
 * the call log consistent, and reaps the children the dead daemon left behind. Killed during a run:
 * the tasks that had ended keep their results.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_HEADERS, TEST_TOKEN } from './__fixtures__/runtime-harness.js';
import { isAlive } from './supervisor/process-tree.js';
import { pollFor } from './__fixtures__/wait.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const faultServer = fileURLToPath(new URL('./supervisor/__fixtures__/fault-server.mjs', import.meta.url));
const batchServer = fileURLToPath(new URL('./batch/__fixtures__/batch-server.mjs', import.meta.url));

interface Daemon {
  child: ChildProcess;
  url: string;
}

function startDaemon(home: string, configPath: string): Promise<Daemon> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/main.ts', 'serve', '--config', configPath, '--port', '0'], {
    cwd: root,
    env: { ...process.env, HOME: home, MCP_ORCH_HOME: home, MCP_ORCH_LOGIN_SHELL_PATH: '0', MCP_ORCH_TOKEN: TEST_TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const listening = /listening on (http:\/\/\S+)/.exec(output);
      if (listening && output.includes('Press Ctrl-C')) {
        child.stdout.off('data', onData);
        resolve({ child, url: listening[1]! });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`daemon exited with ${code}:\n${output}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

/** Rows of the call log a reader sees now (0 while the file or its table is not there yet). */
function committedCalls(path: string): number {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM calls').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

describe('daemon killed with SIGKILL', () => {
  let home: string;
  let configPath: string;
  const daemons: ChildProcess[] = [];

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'mcp-orch-crash-'));
    configPath = join(home, 'mcp-config.json');
    await writeFile(
      configPath,
      JSON.stringify({
        mcpServers: {
          faulty: { command: process.execPath, args: [faultServer, '--grandchild'] },
          a: { command: process.execPath, args: [batchServer] },
        },
      }),
    );
  });

  afterAll(async () => {
    for (const daemon of daemons) if (daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGKILL');
    await rm(home, { recursive: true, force: true });
  });

  it('restarts with a readable store, a consistent call log and no orphans', async () => {
    const first = await startDaemon(home, configPath);
    daemons.push(first.child);
    const client = new Client({ name: 'burst', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp/faulty', first.url), { requestInit: { headers: AUTH_HEADERS } }));
    const { content } = (await client.callTool({ name: 'pid', arguments: {} })) as { content: { text: string }[] };
    const { pid, grandchild } = JSON.parse(content[0]!.text) as { pid: number; grandchild: number };

    // A burst of calls; the daemon dies in the middle of it.
    let answered = 0;
    const burst = Array.from({ length: 400 }, (_, i) =>
      client.callTool({ name: 'echo', arguments: { text: `call ${i}` } }).then(
        () => answered++,
        () => undefined,
      ),
    );
    // A limit, not a speed check: a loaded machine may take a while to answer the first 100.
    await pollFor('100 answers', () => answered >= 100, 30_000);
    // The call log commits in batches: kill once one has reached the file, whatever the clock says.
    await pollFor('a committed batch of the call log', () => committedCalls(join(home, 'mcp-orch.db')) > 0);
    first.child.kill('SIGKILL');
    await exited(first.child);
    // Closing the client fails the calls the dead daemon never answered (instead of their timeouts).
    await client.close().catch(() => undefined);
    await Promise.allSettled(burst);
    expect(isAlive(grandchild)).toBe(true); // left behind by the dead daemon

    const second = await startDaemon(home, configPath);
    daemons.push(second.child);
    await pollFor('the orphans to be reaped', () => !isAlive(pid) && !isAlive(grandchild));

    const db = new Database(join(home, 'mcp-orch.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = db.prepare('SELECT * FROM calls').all() as Record<string, unknown>[];
      // Committed batches are whole; at most the calls of the last batch interval are lost with the process.
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.length).toBeLessThanOrEqual(answered + 1);
      for (const row of rows) {
        expect(row).toMatchObject({ server: 'faulty', method: 'tools/call', ok: 1 });
        expect(typeof row.duration_ms).toBe('number');
        expect(row.session_id).toEqual(expect.any(String));
      }
      const pids = db.prepare('SELECT pid FROM pids').all() as { pid: number }[];
      expect(pids.map((row) => row.pid)).not.toContain(pid);
    } finally {
      db.close();
    }

    // The restarted daemon serves again, and its own stop leaves nothing behind.
    const again = new Client({ name: 'after', version: '1.0.0' });
    await again.connect(new StreamableHTTPClientTransport(new URL('/mcp/faulty', second.url), { requestInit: { headers: AUTH_HEADERS } }));
    const after = (await again.callTool({ name: 'pid', arguments: {} })) as { content: { text: string }[] };
    const fresh = JSON.parse(after.content[0]!.text) as { pid: number; grandchild: number };
    await again.close();
    second.child.kill('SIGTERM');
    await exited(second.child);
    expect(second.child.exitCode).toBe(0);
    await pollFor('the children of a clean stop to end', () => !isAlive(fresh.pid) && !isAlive(fresh.grandchild));
  }, 60_000);

  it('keeps the result of a task that ended before the daemon was killed mid-run', async () => {
    const database = join(home, 'mcp-orch.db');
    const first = await startDaemon(home, configPath);
    daemons.push(first.child);
    const plan = {
      tasks: [
        { id: 'done', tool: 'a__emit' },
        { id: 'waits', tool: 'a__block', arguments: { label: 'killed' } },
      ],
    };
    const started = await fetch(new URL('/api/runs', first.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ plan }),
    });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    const task = (taskId: string) => readTask(database, id, taskId);
    // Progress is written in batches: kill once the first task's end has reached the file.
    await pollFor('the ended task in the file', () => task('done')?.status === 'succeeded');
    first.child.kill('SIGKILL');
    await exited(first.child);

    const second = await startDaemon(home, configPath);
    daemons.push(second.child);
    const kept = task('done');
    expect(kept).toMatchObject({ status: 'succeeded' });
    expect(JSON.parse(kept!.result!)).toMatchObject({ text: 'emitted' });
    expect(task('waits')).toMatchObject({ status: 'interrupted', result: null });
    second.child.kill('SIGTERM');
    await exited(second.child);
  }, 60_000);
});

/** A task of a run as the file holds it now (undefined while the file or the row is not there). */
function readTask(path: string, runId: string, taskId: string): { status: string; result: string | null } | undefined {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT status, result FROM run_tasks WHERE run_id = ? AND task_id = ?').get(runId, taskId) as
        { status: string; result: string | null } | undefined;
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}
