import { describe, expect, it } from 'vitest';
import { localPrincipal } from '../core/shell-surface.js';
import { FakeApp, FakeInstanceLock } from './__fixtures__/fake-app.js';
import { MemoryDispatcher } from './__fixtures__/memory-dispatcher.js';
import type { CoreHandle } from './core-host.js';
import { DesktopApp } from './desktop-app.js';
import { TrayModel } from './tray-state.js';

/** A promise and its resolver, to hold a step until the test lets it go. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function setup(lock = new FakeInstanceLock(), options: { argv?: string[]; atLogin?: boolean } = {}) {
  const app = new FakeApp(lock);
  const model = new TrayModel({ openAtLogin: false });
  const events: string[] = [];
  const coreStarted = deferred<CoreHandle>();
  const coreStopped = deferred();
  /** What the bridge was given to wait for, once the app was ready. */
  const bridge: { core?: Promise<CoreHandle | undefined> } = {};
  const core: CoreHandle = {
    dispatcher: new MemoryDispatcher({}),
    configPath: '/c',
    logDir: '/l',
    url: 'http://127.0.0.1:8000',
    dispose: () => {
      events.push('core disposing');
      return coreStopped.promise;
    },
  };
  const desktop = new DesktopApp({
    app,
    argv: options.argv ?? ['mcp-orch'],
    openedAtLogin: () => options.atLogin ?? false,
    principal: localPrincipal('desktop'),
    model,
    window: { show: () => events.push('window shown'), saveBounds: () => events.push('bounds saved') },
    onReady: (starting) => {
      bridge.core = starting;
      events.push('bridge and tray');
      return () => events.push('bridge stopped');
    },
    startCore: () => {
      events.push('core starting');
      return coreStarted.promise;
    },
    connect: () => {
      events.push('connected');
      return Promise.resolve(() => events.push('disconnected'));
    },
    showError: (title, message) => events.push(`error ${title}: ${message}`),
    log: (message) => events.push(`log ${message}`),
  });
  return { app, model, events, desktop, core, coreStarted, coreStopped, bridge };
}

describe('DesktopApp', () => {
  it("serves the window's bridge before the window shows, waiting for the core; the tray follows the core's phase", async () => {
    const { app, desktop, events, model, core, coreStarted, bridge } = setup();
    const started = desktop.start();
    app.becomeReady();
    await new Promise((resolve) => setImmediate(resolve));
    // The window is up while the core still starts, and its bridge is already there.
    expect(events).toEqual(['core starting', 'bridge and tray', 'window shown']);
    expect(model.current.phase).toBe('starting');
    coreStarted.resolve(core);
    expect(await bridge.core).toBe(core);
    expect(await started).toBe(true);
    expect(events).toEqual(['core starting', 'bridge and tray', 'window shown', 'connected']);
    expect(model.current.phase).toBe('running');
  });

  it('gives the bridge nothing to wait for when the core failed', async () => {
    const { app, desktop, coreStarted, bridge } = setup();
    coreStarted.reject(new Error('port in use'));
    app.becomeReady();
    await desktop.start();
    expect(await bridge.core).toBeUndefined();
  });

  it('stays in the tray, without its window, when started at login', async () => {
    for (const options of [{ argv: ['mcp-orch', '--hidden'] }, { atLogin: true }]) {
      const { app, desktop, events, core, coreStarted } = setup(new FakeInstanceLock(), options);
      coreStarted.resolve(core);
      app.becomeReady();
      await desktop.start();
      expect(events).not.toContain('window shown');
    }
  });

  it('hands a second launch over to the first instance, which shows its window', async () => {
    const lock = new FakeInstanceLock();
    const first = setup(lock);
    first.coreStarted.resolve(first.core);
    first.app.becomeReady();
    await first.desktop.start();
    first.events.length = 0;

    const second = setup(lock);
    expect(await second.desktop.start()).toBe(false);
    expect(second.app.quitCalls).toBe(1);
    expect(second.events).toEqual([]);
    expect(first.events).toEqual(['window shown']);
  });

  it('shows why the core did not start, and keeps the tray to fix it', async () => {
    const { app, desktop, events, model, coreStarted } = setup();
    coreStarted.reject(new Error('port 8000 on 127.0.0.1 is already in use: stop the other process or pass --port'));
    app.becomeReady();
    expect(await desktop.start()).toBe(true);
    expect(model.current).toMatchObject({
      phase: 'failed',
      coreError: 'port 8000 on 127.0.0.1 is already in use: stop the other process or pass --port',
    });
    expect(events.at(-1)).toBe(
      'error MCP Orch could not start: port 8000 on 127.0.0.1 is already in use: stop the other process or pass --port',
    );
  });

  it('on quit, holds the process until every server is stopped, showing that it is stopping', async () => {
    const { app, desktop, events, model, core, coreStarted, coreStopped } = setup();
    coreStarted.resolve(core);
    app.becomeReady();
    await desktop.start();
    events.length = 0;

    app.quit();
    await new Promise((resolve) => setImmediate(resolve));
    expect(app.exited).toBe(false);
    expect(desktop.quitting).toBe(true);
    expect(model.current.phase).toBe('stopping');
    expect(events).toEqual(['bounds saved', 'disconnected', 'bridge stopped', 'core disposing']);
    // Quit again while the servers stop (a second Cmd-Q): still held, the core stopped once.
    app.quit();
    expect(app.exited).toBe(false);
    expect(events.filter((event) => event === 'core disposing')).toHaveLength(1);

    coreStopped.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(app.exited).toBe(true);
  });

  it('on a quit during the start, waits for the core and stops it before the process ends', async () => {
    const { app, desktop, events, core, coreStarted, coreStopped } = setup();
    app.becomeReady();
    const started = desktop.start();
    await new Promise((resolve) => setImmediate(resolve));
    app.quit();
    expect(events).not.toContain('core disposing');
    coreStarted.resolve(core);
    await started;
    expect(events).toContain('core disposing');
    // The window's pending calls were let go before the core stopped.
    expect(events.indexOf('bridge stopped')).toBeLessThan(events.indexOf('core disposing'));
    expect(events).not.toContain('connected');
    expect(app.exited).toBe(false);
    coreStopped.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(app.exited).toBe(true);
  });

  it('shows no start error when the start fails after Quit', async () => {
    const { app, desktop, events, model, coreStarted } = setup();
    app.becomeReady();
    const started = desktop.start();
    await new Promise((resolve) => setImmediate(resolve));
    app.quit();
    coreStarted.reject(new Error('port 8000 in use'));
    await started;
    await new Promise((resolve) => setImmediate(resolve));
    expect(events.some((event) => event.startsWith('error'))).toBe(false);
    expect(model.current.phase).toBe('stopping');
    expect(app.exited).toBe(true);
  });

  it('quits even when stopping the core fails, saying why in the log', async () => {
    const { app, desktop, events, core, coreStarted, coreStopped } = setup();
    coreStarted.resolve(core);
    app.becomeReady();
    await desktop.start();
    app.quit();
    coreStopped.reject(new Error('database is locked'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(app.exited).toBe(true);
    expect(events).toContain('log stopping the core failed: database is locked');
  });
});
