/** Test support: `ipcMain`, a `WebContents` and its frame, as far as the bridge uses them. */
import { EventEmitter } from 'node:events';
import type { IpcEventLike, IpcMainLike, IpcSender } from '../bridge.ipc.js';

type Listener = (event: IpcEventLike, ...args: unknown[]) => void;
type Handler = (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>;

export class FakeSender extends EventEmitter implements IpcSender {
  private static next = 1;
  readonly id = FakeSender.next++;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  private destroyed = false;

  /** `subframe`: the message comes from an iframe inside the page. */
  constructor(
    public url: string,
    private readonly subframe = false,
  ) {
    super();
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('sent to a destroyed WebContents');
    this.sent.push({ channel, args });
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** What Electron does when the window closes. */
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }

  event(): IpcEventLike {
    return { sender: this, senderFrame: { url: this.url, parent: this.subframe ? {} : null } };
  }
}

export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();
  private readonly emitter = new EventEmitter();

  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  on(channel: string, listener: Listener): this {
    this.emitter.on(channel, listener);
    return this;
  }

  removeListener(channel: string, listener: Listener): this {
    this.emitter.removeListener(channel, listener);
    return this;
  }

  /** What `ipcRenderer.invoke` from `sender` does. */
  invoke(sender: FakeSender, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    return handler(sender.event(), ...args);
  }

  /** What `ipcRenderer.send` from `sender` does. */
  send(sender: FakeSender, channel: string, ...args: unknown[]): void {
    this.emitter.emit(channel, sender.event(), ...args);
  }

  listenerCount(channel: string): number {
    return this.emitter.listenerCount(channel);
  }
}
