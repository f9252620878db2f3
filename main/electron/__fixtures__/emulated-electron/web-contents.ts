/**
 * `BrowserWindow` and its `webContents` in the emulated desktop: each window is one page of the
 * host's Chromium. The window's preload (the REAL bundle its `webPreferences.preload` names) runs
 * in the page before the page's scripts, with a `require('electron')` whose `contextBridge` puts
 * the exposed API on the page's global and whose `ipcRenderer` reaches `ipcMain` through a binding.
 * `webContents.send` calls the page's `ipcRenderer.on` listeners, in order.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { type BrowserHost, type HostedContents } from './browser-host.js';
import type { EmulatedIpcMain } from './ipc-main.js';
import { report } from './report.js';

type Preventable = { preventDefault(): void; url?: string };
type OpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };

let nextId = 1;

/** The preload's source wrapped as Electron runs a sandboxed one: a CommonJS function given `require`. */
export function preloadScript(source: string): string {
  return `(() => {
  if (window !== window.top) return;
  const binding = globalThis.__electronIpc;
  const listeners = new Map();
  const ipcRenderer = {
    async invoke(channel, ...args) {
      try { return await binding('invoke', channel, args); }
      catch (error) { throw new Error("Error invoking remote method '" + channel + "': Error: " + (error && error.message)); }
    },
    send(channel, ...args) { void binding('send', channel, args); },
    on(channel, listener) { if (!listeners.has(channel)) listeners.set(channel, []); listeners.get(channel).push(listener); return ipcRenderer; },
    removeListener(channel, listener) { const list = listeners.get(channel) || []; const at = list.indexOf(listener); if (at >= 0) list.splice(at, 1); return ipcRenderer; },
  };
  const contextBridge = {
    exposeInMainWorld(key, api) { Object.defineProperty(globalThis, key, { value: Object.freeze({ ...api }), enumerable: true }); },
  };
  globalThis.__electronDeliver = (channel, args) => {
    for (const listener of [...(listeners.get(channel) || [])]) listener({ sender: ipcRenderer }, ...args);
  };
  const require = (name) => {
    if (name === 'electron') return { ipcRenderer, contextBridge };
    throw new Error('a sandboxed preload cannot require ' + name);
  };
  const module = { exports: {} };
  (function (module, exports, require) {
${source}
  })(module, module.exports, require);
})();`;
}

export class EmulatedWebContents extends EventEmitter implements HostedContents {
  readonly id = nextId++;
  readonly session = { setPermissionRequestHandler() {}, setPermissionCheckHandler() {} };
  private openHandler: OpenHandler | undefined;
  private destroyed = false;
  /** webContents.send calls, one after another. */
  private queue: Promise<unknown> = Promise.resolve();
  page: Page | undefined;

  constructor(private readonly ipcMain: EmulatedIpcMain) {
    super();
  }

  setWindowOpenHandler(handler: OpenHandler): void {
    this.openHandler = handler;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  send(channel: string, ...args: unknown[]): void {
    const page = this.page;
    if (!page || this.destroyed) return;
    this.queue = this.queue
      .then(() =>
        page.evaluate(
          ([name, values]) => (globalThis as { __electronDeliver?: (c: string, a: unknown[]) => void }).__electronDeliver?.(name, values),
          [channel, args] as const,
        ),
      )
      .catch(() => undefined);
  }

  mayNavigate(url: string): boolean {
    let prevented = false;
    const event: Preventable = { url, preventDefault: () => (prevented = true) };
    this.emit('will-navigate', event);
    return !prevented;
  }

  windowOpen(url: string): 'allow' | 'deny' {
    return this.openHandler?.({ url }).action ?? 'allow';
  }

  async ipc(kind: 'invoke' | 'send', channel: string, args: unknown[], frame: { url: string; top: boolean }): Promise<unknown> {
    // As Electron's WebFrameMain: the frame's URL (app://…) and its parent, null for a top frame.
    const senderFrame = { url: frame.url, parent: frame.top ? null : {} };
    if (kind === 'invoke') return this.ipcMain.invoke(channel, { sender: this, senderFrame }, args);
    const event = { sender: this, senderFrame, reply: (replyChannel: string, ...values: unknown[]) => this.send(replyChannel, ...values) };
    this.ipcMain.emit(channel, event, ...args);
    return undefined;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('destroyed');
  }
}

export interface WindowHooks {
  host: BrowserHost;
  ipcMain: EmulatedIpcMain;
  /** Every web contents made is announced (`app`'s 'web-contents-created'). */
  created(contents: EmulatedWebContents): void;
}

export function browserWindowClass(hooks: () => WindowHooks) {
  return class BrowserWindow extends EventEmitter {
    readonly webContents: EmulatedWebContents;
    private readonly page: Promise<Page>;
    private visible = false;
    private closed = false;
    private readyShown = false;

    constructor(options: { webPreferences?: { preload?: string } }) {
      super();
      const wiring = hooks();
      const host = wiring.host;
      this.webContents = new EmulatedWebContents(wiring.ipcMain);
      report('window', { webPreferences: options.webPreferences });
      wiring.created(this.webContents);
      const preload = options.webPreferences?.preload;
      this.page = host.openPage(this.webContents, preload ? preloadScript(readFileSync(preload, 'utf8')) : undefined).then((page) => {
        this.webContents.page = page;
        page.once('close', () => this.onClosed());
        return page;
      });
    }

    async loadURL(url: string): Promise<void> {
      report('load', { url });
      const page = await this.page;
      await hooks().host.load(page, url);
      report('loaded', { url });
      // Electron's is the first paint; here the end of the first load.
      if (!this.readyShown) this.emit('ready-to-show');
      this.readyShown = true;
    }

    show(): void {
      this.visible = true;
      report('show');
      void this.page.then((page) => page.bringToFront()).catch(() => undefined);
    }
    hide(): void {
      this.visible = false;
      report('hide');
    }
    focus(): void {
      report('focus');
    }
    restore(): void {}
    maximize(): void {}
    isMinimized(): boolean {
      return false;
    }
    isMaximized(): boolean {
      return false;
    }
    isVisible(): boolean {
      return this.visible;
    }
    isDestroyed(): boolean {
      return this.closed;
    }
    getNormalBounds() {
      return { x: 0, y: 0, width: 1280, height: 800 };
    }

    /** The user closes the window (its close button): 'close' may prevent it. */
    requestClose(): void {
      let prevented = false;
      this.emit('close', { preventDefault: () => (prevented = true) });
      report('close', { prevented });
      if (!prevented) void this.page.then((page) => page.close());
    }

    private onClosed(): void {
      this.closed = true;
      this.visible = false;
      this.webContents.destroy();
      this.emit('closed');
    }
  };
}
