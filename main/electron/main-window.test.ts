import { describe, expect, it } from 'vitest';
import { FakeWindow } from './__fixtures__/fake-window.js';
import { MainWindow } from './main-window.js';
import { Preferences, type KeyValueStore } from './preferences.js';
import { APP_ENTRY_URL } from './window-policy.js';

function memoryStore(initial: Record<string, unknown> = {}): KeyValueStore {
  const values = new Map(Object.entries(initial));
  return { get: (key) => values.get(key), set: (key, value) => void values.set(key, value), delete: (key) => void values.delete(key) };
}

function setup(options: { saved?: Record<string, unknown>; loadError?: Error } = {}) {
  const windows: FakeWindow[] = [];
  const preferences = new Preferences(memoryStore(options.saved));
  const opened: string[] = [];
  const loadErrors: Error[] = [];
  let quitting = false;
  const main = new MainWindow({
    createWindow: (windowOptions) => {
      const window = new FakeWindow(windowOptions, options.loadError);
      windows.push(window);
      return window;
    },
    preloadPath: '/app/dist/preload/preload.cjs',
    preferences,
    workAreas: () => [{ x: 0, y: 0, width: 1920, height: 1080 }],
    openExternal: (url) => opened.push(url),
    isQuitting: () => quitting,
    onLoadError: (error) => loadErrors.push(error),
    dark: () => false,
  });
  return { main, windows, preferences, opened, loadErrors, quit: () => (quitting = true) };
}

describe('MainWindow', () => {
  it('opens one locked-down window on the app page, shown once it has painted', () => {
    const { main, windows } = setup();
    main.show();
    const [window] = windows;
    expect(window!.options.webPreferences).toEqual({
      preload: '/app/dist/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    });
    expect(window!.loaded).toEqual([APP_ENTRY_URL]);
    expect(main.isVisible()).toBe(false);
    window!.ready();
    expect(main.isVisible()).toBe(true);
    main.show();
    expect(windows).toHaveLength(1);
  });

  it('guards the page it makes: navigation away is stopped, links open outside', () => {
    const { main, windows, opened } = setup();
    main.show();
    expect(windows[0]!.webContents.navigate('https://example.com/')).toBe('prevented');
    expect(windows[0]!.webContents.openWindow('https://example.com/docs')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.com/', 'https://example.com/docs']);
  });

  it('hides to the tray on close, and comes back restored and focused', () => {
    const { main, windows } = setup();
    main.show();
    const window = windows[0]!;
    window.ready();
    expect(window.close()).toBe(false);
    expect(window.visible).toBe(false);
    expect(main.isVisible()).toBe(false);
    window.minimized = true;
    main.show();
    expect([window.visible, window.minimized, windows.length]).toEqual([true, false, 1]);
    expect(window.focused).toBeGreaterThan(1);
  });

  it('really closes when the app quits, and a later show makes a new window', () => {
    const { main, windows, quit } = setup();
    main.show();
    quit();
    expect(windows[0]!.close()).toBe(true);
    main.show();
    expect(windows).toHaveLength(2);
  });

  it('remembers its bounds and maximised state, and reopens there', () => {
    const first = setup();
    first.main.show();
    first.windows[0]!.bounds = { x: 300, y: 200, width: 1000, height: 700 };
    first.windows[0]!.maximized = true;
    first.windows[0]!.close();
    const saved = first.preferences.get('windowBounds');
    expect(saved).toEqual({ x: 300, y: 200, width: 1000, height: 700, maximized: true });

    const second = setup({ saved: { windowBounds: saved } });
    second.main.show();
    expect(second.windows[0]!.options).toMatchObject({ x: 300, y: 200, width: 1000, height: 700 });
    second.windows[0]!.ready();
    expect(second.windows[0]!.maximized).toBe(true);
  });

  it('opens at the default size when the saved bounds are on a monitor that is gone', () => {
    const { main, windows } = setup({ saved: { windowBounds: { x: 5000, y: 0, width: 1000, height: 700, maximized: false } } });
    main.show();
    expect(windows[0]!.options).toMatchObject({ width: 1200, height: 800 });
    expect(windows[0]!.options.x).toBeUndefined();
  });

  it('reports a page that cannot load (no renderer bundle)', async () => {
    const { main, loadErrors } = setup({ loadError: new Error('ERR_FILE_NOT_FOUND') });
    main.show();
    await Promise.resolve();
    expect(loadErrors.map((error) => error.message)).toEqual(['ERR_FILE_NOT_FOUND']);
  });
});
