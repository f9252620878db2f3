/**
 * `ipcMain` of the emulated desktop: `handle`/`removeHandler` for `ipcRenderer.invoke`, and an
 * EventEmitter for `ipcRenderer.send`, with the events Electron gives (`sender`, `senderFrame`).
 * A missing handler rejects as Electron's does: "No handler registered for '<channel>'".
 */
import { EventEmitter } from 'node:events';

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

export class EmulatedIpcMain extends EventEmitter {
  private readonly handlers = new Map<string, InvokeHandler>();

  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** What `ipcRenderer.invoke(channel, ...args)` from the sender of `event` answers. */
  invoke(channel: string, event: unknown, args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    return new Promise((resolve) => resolve(handler(event, ...args)));
  }
}
