/** Test support: a `BrowserWindow` and its `WebContents`, as far as the shell uses them. */
import { EventEmitter } from 'node:events';
import type { WindowLike, WindowOptions } from '../main-window.js';
import type { Rect } from '../preferences.js';
import type { GuardedContents, PreventableEvent } from '../window-policy.js';

type Outcome = 'allowed' | 'prevented';

function preventable(extra: object = {}): PreventableEvent & { prevented: boolean } {
  return Object.assign(
    {
      prevented: false,
      preventDefault(this: { prevented: boolean }) {
        this.prevented = true;
      },
    },
    extra,
  );
}

export class FakeContents extends EventEmitter implements GuardedContents {
  private windowOpenHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  private permissionHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  private permissionCheck: ((contents: unknown, permission: string) => boolean) | null = null;

  readonly session = {
    setPermissionRequestHandler: (handler: typeof this.permissionHandler) => {
      this.permissionHandler = handler;
    },
    setPermissionCheckHandler: (handler: typeof this.permissionCheck) => {
      this.permissionCheck = handler;
    },
  };

  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }

  /** The page (or a link in it) navigates to `url`. */
  navigate(url: string): Outcome {
    return this.fire('will-navigate', { url });
  }

  redirect(url: string): Outcome {
    return this.fire('will-redirect', { url });
  }

  attachWebview(): Outcome {
    return this.fire('will-attach-webview', {});
  }

  /** `window.open(url)` or a `target=_blank` link; without a handler Electron would open a window. */
  openWindow(url: string): { action: string } {
    return this.windowOpenHandler?.({ url }) ?? { action: 'allow' };
  }

  requestPermission(permission: string): Promise<boolean> {
    const handler = this.permissionHandler;
    if (!handler) return Promise.resolve(true);
    return new Promise((resolve) => handler(this, permission, resolve));
  }

  checkPermission(permission: string): boolean {
    return this.permissionCheck?.(this, permission) ?? true;
  }

  private fire(name: string, extra: object): Outcome {
    const event = preventable(extra);
    this.emit(name, event);
    return event.prevented ? 'prevented' : 'allowed';
  }
}

export class FakeWindow extends EventEmitter implements WindowLike {
  readonly webContents = new FakeContents();
  readonly loaded: string[] = [];
  visible = false;
  minimized = false;
  maximized = false;
  destroyed = false;
  focused = 0;
  bounds: Rect;

  constructor(
    readonly options: WindowOptions,
    private readonly loadError?: Error,
  ) {
    super();
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width, height: options.height };
  }

  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return this.loadError ? Promise.reject(this.loadError) : Promise.resolve();
  }
  show(): void {
    this.visible = true;
    this.minimized = false;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    this.focused++;
  }
  restore(): void {
    this.minimized = false;
  }
  maximize(): void {
    this.maximized = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getNormalBounds(): Rect {
    return this.bounds;
  }

  /** The page finished its first paint. */
  ready(): void {
    this.emit('ready-to-show');
  }

  /** The user clicks the close button: answers whether the window really closed. */
  close(): boolean {
    const event = preventable();
    this.emit('close', event);
    if (event.prevented) return false;
    this.destroyed = true;
    this.visible = false;
    this.emit('closed');
    return true;
  }
}
