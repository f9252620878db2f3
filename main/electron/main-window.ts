/**
 * The dashboard window: one at most, made on first use, loaded from `app://orch`, locked down
 * (context isolation, sandbox, no Node, the window policy). Closing it hides it to the tray unless
 * the app is quitting; its bounds are remembered.
 */
import { APP_ENTRY_URL, applyWindowPolicy, type GuardedContents, type PreventableEvent } from './window-policy.js';
import { restorableBounds, type Preferences, type Rect, type WindowBounds } from './preferences.js';

/** The `webPreferences` every window of the app gets. */
export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  webSecurity: true;
  webviewTag: false;
  spellcheck: false;
}

export interface WindowOptions {
  width: number;
  height: number;
  x?: number;
  y?: number;
  minWidth: number;
  minHeight: number;
  show: false;
  title: string;
  backgroundColor: string;
  webPreferences: SecureWebPreferences;
}

/** The part of a `BrowserWindow` used here. */
export interface WindowLike {
  readonly webContents: GuardedContents;
  loadURL(url: string): Promise<void>;
  show(): void;
  hide(): void;
  focus(): void;
  restore(): void;
  maximize(): void;
  isMinimized(): boolean;
  isMaximized(): boolean;
  isVisible(): boolean;
  isDestroyed(): boolean;
  getNormalBounds(): Rect;
  on(event: 'close', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  once(event: 'ready-to-show', listener: () => void): unknown;
}

export interface MainWindowOptions {
  createWindow(options: WindowOptions): WindowLike;
  /** The bundled preload script (`dist/preload/preload.cjs`). */
  preloadPath: string;
  preferences: Preferences;
  /** The work areas of the connected displays, for restoring bounds. */
  workAreas(): Rect[];
  openExternal(url: string): void;
  /** The core's origin while it runs, the one plain-http destination links may open (see `externalUrl`). */
  coreOrigin?(): string | undefined;
  /** True once the app is quitting: then closing really closes. */
  isQuitting(): boolean;
  /** A page that failed to load (a missing renderer bundle), for the log and a dialog. */
  onLoadError(error: Error): void;
  /** Default dark or light window background before the page paints. */
  dark(): boolean;
}

const DEFAULT_SIZE = { width: 1200, height: 800 };

export class MainWindow {
  private window: WindowLike | undefined;

  constructor(private readonly options: MainWindowOptions) {}

  /** Shows the window (making it if there is none), restored from the dock and in front. */
  show(): void {
    const existing = this.window;
    if (existing && !existing.isDestroyed()) {
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return;
    }
    this.window = this.create();
  }

  /** Whether the window is on screen (not hidden to the tray, not minimised). */
  isVisible(): boolean {
    const window = this.window;
    return window !== undefined && !window.isDestroyed() && window.isVisible() && !window.isMinimized();
  }

  /** Saves the bounds now (the app is quitting). */
  saveBounds(): void {
    const window = this.window;
    if (!window || window.isDestroyed()) return;
    const maximized = window.isMaximized();
    const { x, y, width, height } = window.getNormalBounds();
    const bounds: WindowBounds = { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height), maximized };
    try {
      this.options.preferences.set('windowBounds', bounds);
    } catch {
      // Bounds outside what the store accepts (a 100 px window): the next start uses the default.
    }
  }

  private create(): WindowLike {
    const { options } = this;
    const saved = restorableBounds(options.preferences.get('windowBounds'), options.workAreas());
    const window = options.createWindow({
      ...(saved ? { x: saved.x, y: saved.y, width: saved.width, height: saved.height } : DEFAULT_SIZE),
      minWidth: 720,
      minHeight: 480,
      show: false,
      title: 'MCP Orch',
      backgroundColor: options.dark() ? '#0b0d10' : '#ffffff',
      webPreferences: {
        preload: options.preloadPath,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        webviewTag: false,
        spellcheck: false,
      },
    });
    applyWindowPolicy(
      window.webContents,
      (url) => options.openExternal(url),
      () => options.coreOrigin?.(),
    );
    window.on('close', (event) => {
      this.saveBounds();
      if (options.isQuitting()) return;
      event.preventDefault();
      window.hide();
    });
    window.on('closed', () => {
      if (this.window === window) this.window = undefined;
    });
    window.once('ready-to-show', () => {
      if (saved?.maximized) window.maximize();
      window.show();
      window.focus();
    });
    window.loadURL(APP_ENTRY_URL).catch((error: unknown) => options.onLoadError(error as Error));
    return window;
  }
}
