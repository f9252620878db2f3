/**
 * electron-updater as Node's ESM loader resolves it (the packaged main process is ESM too): the
 * `autoUpdater` the app asks for must be reached through `default`.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { autoUpdaterOf, checkForUpdates } from './updates.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

describe('autoUpdaterOf', () => {
  it("finds nothing on the real module's namespace itself under plain Node: the getter is on `default`", async () => {
    // A child Node, not vitest's loader (whose interop would read `default` for us): the old accessor
    // `(await import('electron-updater')).autoUpdater` was undefined there.
    const script = [
      "const m = await import('electron-updater');",
      "const getter = Object.getOwnPropertyDescriptor(m.default, 'autoUpdater')?.get;",
      'process.stdout.write(JSON.stringify({ own: typeof m.autoUpdater, viaDefault: typeof getter }));',
    ].join(' ');
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
    expect(JSON.parse(stdout)).toEqual({ own: 'undefined', viaDefault: 'function' });
  });

  it("reads `autoUpdater` through `default` of a namespace shaped like Node's CommonJS interop, and through a plain one", () => {
    const updater = { checkForUpdatesAndNotify: () => Promise.resolve(null) };
    let reads = 0;
    const interop = {
      autoUpdater: undefined,
      default: {
        get autoUpdater() {
          reads++;
          return updater;
        },
      },
    };
    expect(autoUpdaterOf(interop)).toBe(updater);
    expect(reads).toBe(1);
    expect(autoUpdaterOf({ autoUpdater: updater })).toBe(updater);
    expect(() => autoUpdaterOf({ default: {} })).toThrow('electron-updater has no autoUpdater');
  });

  it('an updater that cannot be found is logged as a failed check, not thrown', async () => {
    const logs: string[] = [];
    const checked = await checkForUpdates({
      resourcesPath: '/r',
      exists: () => true,
      loadUpdater: () => Promise.resolve(autoUpdaterOf({ default: {} })),
      log: (line) => logs.push(line),
    });
    expect([checked, logs]).toEqual([true, ['update check failed: electron-updater has no autoUpdater']]);
  });
});
