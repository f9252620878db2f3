import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PREFERENCE_STORE_OPTIONS, Preferences, restorableBounds, type WindowBounds } from './preferences.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-orch-prefs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** electron-store is `conf` with Electron's user-data folder: the same store, in a temp folder. */
const open = () => {
  const { name, ...options } = PREFERENCE_STORE_OPTIONS;
  return new Preferences(new Conf({ ...options, configName: name, cwd: dir, projectName: 'mcp-orch-test' }));
};

const bounds: WindowBounds = { x: 100, y: 80, width: 1200, height: 800, maximized: false };

describe('Preferences', () => {
  it('answers defaults on a fresh install', () => {
    const preferences = open();
    expect(preferences.get('openAtLogin')).toBe(false);
    expect(preferences.get('theme')).toBe('system');
    expect(preferences.get('windowBounds')).toBeUndefined();
    expect(preferences.get('lastMode')).toBeUndefined();
  });

  it('keeps window bounds, start at login, theme and mode across restarts, in a private file', async () => {
    const first = open();
    first.set('windowBounds', bounds);
    first.set('openAtLogin', true);
    first.set('theme', 'dark');
    first.set('lastMode', 'batch');
    const second = open();
    expect([second.get('windowBounds'), second.get('openAtLogin'), second.get('theme'), second.get('lastMode')]).toEqual([
      bounds,
      true,
      'dark',
      'batch',
    ]);
    expect((await stat(join(dir, 'preferences.json'))).mode & 0o777).toBe(0o600);
    second.set('lastMode', undefined);
    expect(open().get('lastMode')).toBeUndefined();
  });

  it('refuses a bad value and keeps what was there', async () => {
    const preferences = open();
    preferences.set('theme', 'light');
    expect(() => preferences.set('theme', 'neon' as never)).toThrow(/preference theme/);
    expect(() => preferences.set('windowBounds', { ...bounds, width: 10 })).toThrow(/preference windowBounds/);
    expect(open().get('theme')).toBe('light');
    expect(JSON.parse(await readFile(join(dir, 'preferences.json'), 'utf8'))).toEqual({ theme: 'light' });
  });

  it('reads a hand-edited value it does not understand as the default', async () => {
    await writeFile(join(dir, 'preferences.json'), JSON.stringify({ theme: 42, openAtLogin: 'yes', windowBounds: { x: 'left' } }));
    const preferences = open();
    expect([preferences.get('theme'), preferences.get('openAtLogin'), preferences.get('windowBounds')]).toEqual([
      'system',
      false,
      undefined,
    ]);
  });

  it('starts afresh from a file that is not JSON at all', async () => {
    await writeFile(join(dir, 'preferences.json'), '{ broken');
    expect(open().get('theme')).toBe('system');
  });
});

describe('restorableBounds', () => {
  const laptop = { x: 0, y: 0, width: 1440, height: 875 };
  it('keeps bounds that are on a screen, and forgets bounds left on a monitor that is gone', () => {
    expect(restorableBounds(bounds, [laptop])).toEqual(bounds);
    expect(restorableBounds({ ...bounds, x: 2000 }, [laptop])).toBeUndefined();
    expect(restorableBounds({ ...bounds, x: 2000 }, [laptop, { x: 1440, y: 0, width: 2560, height: 1440 }])).toEqual({
      ...bounds,
      x: 2000,
    });
    expect(restorableBounds({ ...bounds, x: 1400 }, [laptop])).toBeUndefined();
    expect(restorableBounds(undefined, [laptop])).toBeUndefined();
  });
});
