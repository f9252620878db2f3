/**
 * The app's life: one instance; the core starting, then the tray and the window's bridge (which
 * wait for the core), then the window unless started at login; and on quit, every server stopped
 * (whole process trees, as the daemon does) before the process ends, with the tray saying so while
 * it takes.
 */
import type { Principal } from '../core/shell-surface.js';
import type { CoreHandle } from './core-host.js';
import { HIDDEN_ARG } from './login-item.js';
import { claimSingleInstance, type SingleInstanceApp } from './single-instance.js';
import type { TrayModel } from './tray-state.js';

/** The part of Electron's `app` used here. */
export interface LifecycleApp extends SingleInstanceApp {
  whenReady(): Promise<void>;
  on(event: 'second-instance', listener: (event: unknown, argv: string[]) => void): unknown;
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'window-all-closed' | 'activate', listener: () => void): unknown;
}

export interface DesktopAppOptions {
  app: LifecycleApp;
  argv: readonly string[];
  /** Whether the system started the app at login (macOS reports it; elsewhere `--hidden` says it). */
  openedAtLogin(): boolean;
  principal: Principal;
  model: TrayModel;
  window: { show(): void; saveBounds(): void };
  /**
   * Once the app is ready, before the window shows: serves the dashboard bundle and the window's
   * bridge (which waits for `core`, undefined when it failed) and makes the tray icon. Answers what
   * stops the bridge when quitting.
   */
  onReady(core: Promise<CoreHandle | undefined>): () => void;
  startCore(): Promise<CoreHandle>;
  /** Wires the core to the window, the tray and notifications; answers the disposer. */
  connect(core: CoreHandle): Promise<() => void>;
  showError(title: string, message: string): void;
  log(message: string): void;
}

export class DesktopApp {
  /** The core once started; undefined when it failed to. */
  private core: Promise<CoreHandle | undefined> | undefined;
  private disconnect: (() => void) | undefined;
  private stopBridge: (() => void) | undefined;
  private stopping: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: DesktopAppOptions) {}

  /** True once quitting began: windows then really close. */
  get quitting(): boolean {
    return this.stopping !== undefined;
  }

  /** Runs the app; false when another instance already runs (this one quits). */
  async start(): Promise<boolean> {
    const { app, window, model } = this.options;
    if (!claimSingleInstance(app, () => window.show())) return false;
    app.on('before-quit', (event) => this.onBeforeQuit(event));
    // A tray app: closing the last window keeps it running (the listener alone says so).
    app.on('window-all-closed', () => undefined);
    app.on('activate', () => window.show());
    await app.whenReady();
    this.core = this.options.startCore().then(
      (core) => core,
      (error: unknown) => {
        // Quitting anyway: the tray says it is stopping, no dialog about a start that no longer matters.
        if (this.quitting) return undefined;
        const message = error instanceof Error ? error.message : String(error);
        model.update({ phase: 'failed', coreError: message });
        this.options.showError('MCP Orch could not start', message);
        return undefined;
      },
    );
    // The page's first request and its subscription find the bridge there, waiting for the core.
    this.stopBridge = this.options.onReady(this.core);
    const hidden = this.options.argv.includes(HIDDEN_ARG) || this.options.openedAtLogin();
    if (!hidden) window.show();
    const core = await this.core;
    // A quit during the start has already taken the core down (it waits for the start).
    if (!core || this.quitting) return true;
    this.disconnect = await this.options.connect(core);
    model.update({ phase: 'running' });
    return true;
  }

  private onBeforeQuit(event: { preventDefault(): void }): void {
    if (this.stopped) return;
    // Hold the quit until the servers are down; a second Quit while stopping changes nothing.
    event.preventDefault();
    this.stopping ??= this.stop();
  }

  private async stop(): Promise<void> {
    const { model, window, app } = this.options;
    window.saveBounds();
    model.update({ phase: 'stopping' });
    this.disconnect?.();
    this.stopBridge?.();
    try {
      // A core still starting is waited for, so its servers are stopped too.
      const core = await this.core;
      await core?.dispose();
    } catch (error) {
      this.options.log(`stopping the core failed: ${(error as Error).message}`);
    }
    this.stopped = true;
    app.quit();
  }
}
