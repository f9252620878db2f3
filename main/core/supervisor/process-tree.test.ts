import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

import { isAlive, isGroupAlive, killTree, waitForTreeExit } from './process-tree.js';

// POSIX only: these trees are process groups killed by signal; Windows uses taskkill, which cannot be enumerated.
describe.skipIf(process.platform === 'win32')('process tree', () => {
  it('isAlive is true for a running process and false once it has exited', async () => {
    expect(isAlive(process.pid)).toBe(true);
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    const pid = child.pid ?? -1;
    await once(child, 'exit');
    expect(isAlive(pid)).toBe(false);
  });

  it('killTree signals the whole group of a detached child, grandchildren included', async () => {
    const script =
      "const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); console.log(c.pid); setInterval(() => {}, 1000);";
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    const pid = child.pid ?? -1;
    const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
    const grandchild = Number(chunk.toString().trim());
    expect(isAlive(grandchild)).toBe(true);
    expect(isGroupAlive(pid)).toBe(true);

    await killTree(pid, 'SIGKILL');
    expect(await waitForTreeExit(pid, 5000)).toBe(true);
    expect(isAlive(pid)).toBe(false);
    expect(isAlive(grandchild)).toBe(false);
  });

  it('killTree ignores processes that are already gone and refuses nonsensical pids', async () => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    const pid = child.pid ?? -1;
    await once(child, 'exit');
    await expect(killTree(pid, 'SIGTERM')).resolves.toBeUndefined();
    await expect(killTree(0, 'SIGTERM')).rejects.toThrow(RangeError);
    await expect(killTree(-1, 'SIGTERM')).rejects.toThrow(RangeError);
  });
});
