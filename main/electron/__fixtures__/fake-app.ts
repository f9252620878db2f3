/** Test support: Electron's `app` as far as the lifecycle uses it, with the single-instance lock. */
import { EventEmitter } from 'node:events';
import type { LifecycleApp } from '../desktop-app.js';

/** The single-instance lock Electron keeps for the user: the first app to ask holds it. */
export class FakeInstanceLock {
  holder: FakeApp | undefined;
}

export class FakeApp extends EventEmitter implements LifecycleApp {
  quitCalls = 0;
  /** Set when a `before-quit` went through (nobody prevented it): the process would end. */
  exited = false;
  private readyResolve: (() => void) | undefined;
  private readonly ready = new Promise<void>((resolve) => (this.readyResolve = resolve));

  constructor(private readonly lock: FakeInstanceLock) {
    super();
  }

  requestSingleInstanceLock(): boolean {
    if (this.lock.holder && this.lock.holder !== this) {
      // Electron tells the running instance about the new launch, with its argv.
      this.lock.holder.emit('second-instance', {}, ['mcp-orch', '--from-second']);
      return false;
    }
    this.lock.holder = this;
    return true;
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  /** The app is ready (Electron's `ready` event). */
  becomeReady(): void {
    this.readyResolve?.();
  }

  quit(): void {
    this.quitCalls++;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.exited = true;
  }
}
