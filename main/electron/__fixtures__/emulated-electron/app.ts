/**
 * `app` of the emulated desktop. Ready means Chromium is up (the test is told where to attach);
 * quitting runs Electron's events (`before-quit` may hold it, then `will-quit`), closes Chromium and
 * ends the process. The single-instance lock is real across processes: a lock file holding the
 * owner's pid in the user-data folder, and a Unix socket beside it through which a second launch
 * hands its argv to the first (which emits `second-instance`) before it quits.
 */
import { EventEmitter } from 'node:events';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BrowserHost } from './browser-host.js';
import { report } from './report.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class EmulatedApp extends EventEmitter {
  isPackaged = false;
  name = 'Electron';
  readonly host: BrowserHost;
  private ready: Promise<void> | undefined;
  /** A second launch's message to the first, still being written. */
  private handoff: Promise<void> = Promise.resolve();
  private ending = false;

  constructor(private readonly userData: string) {
    super();
    mkdirSync(userData, { recursive: true });
    this.host = new BrowserHost(userData);
  }

  setAppUserModelId(): void {}
  setName(name: string): void {
    this.name = name;
  }
  getAppPath(): string {
    return process.cwd();
  }
  getPath(name: string): string {
    if (name === 'userData') return this.userData;
    if (name === 'home') return homedir();
    return join(this.userData, name);
  }
  getVersion(): string {
    return '0.0.0-emulated';
  }
  getLoginItemSettings() {
    return { openAtLogin: false, wasOpenedAtLogin: false };
  }
  setLoginItemSettings(settings: unknown): void {
    report('loginItem', { settings });
  }

  whenReady(): Promise<void> {
    this.ready ??= this.host.launch().then((endpoint) => {
      report('ready', { cdp: endpoint });
      this.emit('ready', {}, {});
    });
    return this.ready;
  }

  requestSingleInstanceLock(): boolean {
    const lock = join(this.userData, 'SingletonLock');
    const socket = join(this.userData, 'SingletonSocket');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(lock, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = Number(readFileSync(lock, 'utf8'));
        if (owner && alive(owner)) {
          this.handoff = this.tellFirstInstance(socket);
          report('singleInstanceLock', { held: false, owner });
          return false;
        }
        rmSync(lock, { force: true });
        continue;
      }
      rmSync(socket, { force: true });
      createServer((connection) => {
        let text = '';
        connection.on('data', (chunk: Buffer) => (text += chunk.toString()));
        connection.on('end', () => {
          const { argv, workingDirectory } = JSON.parse(text) as { argv: string[]; workingDirectory: string };
          report('secondInstance', { argv });
          this.emit('second-instance', { preventDefault() {} }, argv, workingDirectory, null);
        });
      })
        .listen(socket)
        .unref();
      process.once('exit', () => {
        rmSync(lock, { force: true });
        rmSync(socket, { force: true });
      });
      report('singleInstanceLock', { held: true });
      return true;
    }
    throw new Error(`could not take ${lock}`);
  }

  quit(): void {
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    report('quit', { prevented });
    if (prevented) return;
    this.emit('will-quit', { preventDefault() {} });
    this.end(0);
  }

  exit(code = 0): void {
    report('exit', { code });
    this.end(code);
  }

  /** Ends the process once Chromium is closed and any hand-off to the first instance is written. */
  private end(code: number): void {
    if (this.ending) return;
    this.ending = true;
    void Promise.allSettled([this.handoff, this.host.close()]).then(() => {
      this.emit('quit', {}, code);
      report('exited', { code });
      process.exit(code);
    });
  }

  private tellFirstInstance(socket: string): Promise<void> {
    return new Promise((resolve) => {
      const connection = createConnection(socket, () => {
        connection.end(JSON.stringify({ argv: process.argv, workingDirectory: process.cwd() }));
      });
      connection.on('close', () => resolve());
      connection.on('error', (error) => {
        report('handoffFailed', { message: error.message });
        resolve();
      });
    });
  }
}
