import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, killTree } from './process-tree.js';
import { useTempStores } from '../store/__fixtures__/temp-store.js';
import { commandMatches, processStartTime, reapOrphans } from './orphan-reaper.js';

const temp = useTempStores();
const IDLE = 'setInterval(() => {}, 1000)';
const WITH_GRANDCHILD = `const c = require('child_process').spawn(process.execPath, ['-e', '${IDLE}'], { stdio: 'ignore' }); console.log(c.pid); ${IDLE}`;
const spawned: number[] = [];

afterEach(async () => {
  for (const pid of spawned.splice(0)) if (isAlive(pid)) await killTree(pid, 'SIGKILL');
});

interface Spawned {
  child: ChildProcess;
  pid: number;
  grandchild: number;
  command: string;
}

/** A detached child (its own process group) with a grandchild, as the supervisor would start a server. */
async function spawnServerLike(): Promise<Spawned> {
  const args = ['-e', WITH_GRANDCHILD];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  const pid = child.pid ?? -1;
  spawned.push(pid);
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  const grandchild = Number(chunk.toString().trim());
  spawned.push(grandchild);
  // "Forget" it, as a crashed daemon would have.
  child.stdout.destroy();
  child.unref();
  return { child, pid, grandchild, command: [process.execPath, ...args].join(' ') };
}

// POSIX only: reaping kills process groups by signal, which Windows does not have.
describe.skipIf(process.platform === 'win32')('reapOrphans', () => {
  it('kills a recorded child that is still ours, grandchildren included, and forgets it', async () => {
    const store = temp.open();
    const server = await spawnServerLike();
    store.pids.add({
      pid: server.pid,
      server: 'a',
      startedAt: Date.now(),
      processStartTime: processStartTime(server.pid),
      command: server.command,
    });

    const report = await reapOrphans(store.pids);
    expect(report.reaped.map((r) => r.pid)).toEqual([server.pid]);
    expect(isAlive(server.pid)).toBe(false);
    expect(isAlive(server.grandchild)).toBe(false);
    expect(store.pids.all()).toEqual([]);
  });

  // Linux only: a process's start time is read from /proc/<pid>/stat.
  it.skipIf(process.platform !== 'linux')('spares a live process whose recorded start time does not match (a reused pid)', async () => {
    const store = temp.open();
    const other = await spawnServerLike();
    store.pids.add({ pid: other.pid, server: 'a', startedAt: Date.now(), processStartTime: 'another-boot:12345', command: other.command });

    const report = await reapOrphans(store.pids);
    expect(report.reaped).toEqual([]);
    // The command line matches: the start time alone tells the two apart.
    expect(report.skipped.map((s) => s.reason)).toEqual(['not-ours']);
    expect(isAlive(other.pid)).toBe(true);
    expect(isAlive(other.grandchild)).toBe(true);
    expect(store.pids.all()).toEqual([]);
  });

  it('spares a live process whose command line differs, and one it cannot identify', async () => {
    const store = temp.open();
    const other = await spawnServerLike();
    store.pids.add({ pid: other.pid, server: 'a', startedAt: Date.now(), command: 'uvx some-other-server' });
    expect((await reapOrphans(store.pids)).skipped.map((s) => s.reason)).toEqual(['not-ours']);

    store.pids.add({ pid: other.pid, server: 'a', startedAt: Date.now(), command: other.command });
    expect((await reapOrphans(store.pids, { platform: 'win32' })).skipped.map((s) => s.reason)).toEqual(['unconfirmed']);
    expect(isAlive(other.pid)).toBe(true);
  });

  it('kills the rest of a group whose leader already exited', async () => {
    const store = temp.open();
    const server = await spawnServerLike();
    const exited = once(server.child, 'exit');
    process.kill(server.pid, 'SIGKILL');
    await exited;
    expect(isAlive(server.grandchild)).toBe(true);
    store.pids.add({ pid: server.pid, server: 'a', startedAt: Date.now(), command: server.command });

    expect((await reapOrphans(store.pids)).reaped.map((r) => r.pid)).toEqual([server.pid]);
    expect(isAlive(server.grandchild)).toBe(false);
  });

  it('leaves the children of another live daemon alone, and forgets children that are gone', async () => {
    const store = temp.open();
    const server = await spawnServerLike();
    const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await once(gone, 'exit');
    store.pids.add({ pid: server.pid, server: 'a', startedAt: 1, command: server.command, ownerPid: process.ppid });
    store.pids.add({ pid: gone.pid ?? -1, server: 'b', startedAt: 2, command: 'node' });

    const report = await reapOrphans(store.pids);
    expect(report.skipped.map((s) => [s.record.server, s.reason])).toEqual([
      ['a', 'owner-alive'],
      ['b', 'gone'],
    ]);
    expect(isAlive(server.pid)).toBe(true);
    expect(store.pids.all().map((r) => r.server)).toEqual(['a']);
  });
});

describe('processStartTime and commandMatches', () => {
  // Linux only: the identity is read from /proc.
  it.skipIf(process.platform !== 'linux')('reads a stable identity of a live process on Linux', () => {
    const mine = processStartTime(process.pid);
    expect(mine).toMatch(/^.+:\d+$/);
    expect(processStartTime(process.pid)).toBe(mine);
    expect(processStartTime(process.pid, 'darwin')).toBeUndefined();
  });

  it('matches a command line exactly or behind a #! interpreter, nothing looser', () => {
    expect(commandMatches('npx -y pkg', 'npx -y pkg')).toBe(true);
    expect(commandMatches('npx -y pkg', 'node /usr/local/bin/npx  -y pkg')).toBe(true);
    expect(commandMatches('/usr/local/bin/npx -y pkg', 'node /usr/local/bin/npx -y pkg')).toBe(true);
    expect(commandMatches('npx -y pkg', 'npx -y other-pkg')).toBe(false);
    expect(commandMatches('x -y pkg', 'npx -y pkg')).toBe(false);
    expect(commandMatches('', 'anything')).toBe(false);
  });
});
