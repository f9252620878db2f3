/**
 * Quit while the page has calls in flight: the main process holds the quit until the core has
 * stopped every server (whole process trees), then exits, leaving none of its children behind:
 * no server, no grandchild of one, no Chromium.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, liveProcesses, processesWith, test } from './desktop-fixture.js';

const FAULT_SERVER = fileURLToPath(new URL('../../main/core/supervisor/__fixtures__/fault-server.mjs', import.meta.url));

interface OrchWindow {
  orch: { invoke(id: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: unknown }> };
  hung?: Promise<unknown>;
}

// POSIX only: it looks for leftover processes with `ps -eo`.
test.skip(process.platform === 'win32', 'uses ps');

test('quitting with a tool call in flight ends the app and every process it started', async ({ desktop }) => {
  await desktop.configure({
    // A server with a child of its own, and a tool that never answers.
    fault: { command: process.execPath, args: [FAULT_SERVER, '--grandchild', `--test-dir=${desktop.dir}`], timeout: 600 },
  });
  const app = desktop.launch();
  const page = await app.page();
  await app.waitFor((report) => report.what === 'tooltip' && String(report.text).includes('1 running'));

  // Through the real preload and ipcMain: the server's pid and its grandchild's, then a call that hangs.
  const answer = await page.evaluate(() =>
    (globalThis as unknown as OrchWindow).orch.invoke('tools.call', { server: 'fault', tool: 'pid', arguments: {} }),
  );
  expect(answer.ok).toBe(true);
  const text = /\{"pid":\d+,"grandchild":\d+\}/.exec(JSON.stringify(answer.value).replace(/\\"/g, '"'))?.[0];
  const { pid, grandchild } = JSON.parse(text ?? '{}') as { pid: number; grandchild: number };
  expect(pid).toBeGreaterThan(0);
  expect(grandchild).toBeGreaterThan(0);
  await page.evaluate(() => {
    const target = globalThis as unknown as OrchWindow;
    target.hung = target.orch.invoke('tools.call', { server: 'fault', tool: 'hang', arguments: {} });
  });
  const log = join(desktop.dir, 'home', 'logs', 'fault.log');
  await expect.poll(async () => (await import('node:fs/promises')).readFile(log, 'utf8').catch(() => '')).toContain('started hang');

  const chromium = processesWith(join(desktop.dir, 'user-data', 'chromium'));
  expect(chromium.length).toBeGreaterThan(0);
  app.command('quit');
  expect(await app.exited).toBe(0);
  expect(app.reports.filter((report) => report.what === 'quit').map((report) => report.prevented)).toEqual([true, false]);
  const left = liveProcesses().filter((process) => [pid, grandchild, ...chromium].includes(process.pid));
  expect(left).toEqual([]);
  expect(processesWith(desktop.dir)).toEqual([]);
});
