/**
 * The stdio transport to one local MCP server: a child process speaking newline-delimited JSON-RPC
 * on stdin/stdout, logging on stderr. Owns the child and its whole process tree.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import spawn from 'cross-spawn';
import type { RpcMessage } from '../protocol/jsonrpc.js';
import type { ChannelCloseInfo, LogSink, MessageChannel } from './channel.js';
import { resolveCommand } from './command-resolver.js';
import { killGroup, killTree, waitForTreeExit } from './process-tree.js';
import { LineSplitter, MAX_MESSAGE_LENGTH, dispatchLine, textOf } from './stdio-lines.js';

const MAX_STDERR_LINE_LENGTH = 1024 * 1024;
/** How long stdout/stderr may stay open after the child exited (a stray grandchild can hold them). */
const STDIO_DRAIN_MS = 1000;

export interface StdioChannelOptions {
  /** Server name, used in every error and log message. */
  name: string;
  /** Program to run; looked up in `env.PATH` unless it contains a path separator. */
  command: string;
  args: string[];
  /** The child's whole environment (nothing is inherited); its PATH is also where `command` is looked up. */
  env: Record<string, string>;
  cwd?: string;
  logs: LogSink;
  /** Wait after closing stdin before SIGTERM. Default 2000 ms. */
  stdinGraceMs?: number;
  /** Wait after SIGTERM before SIGKILL (and after SIGKILL before giving up). Default 3000 ms. */
  termGraceMs?: number;
}

type State = 'idle' | 'starting' | 'running' | 'stopping' | 'exited' | 'closed';

/** A `MessageChannel` over a child process's stdio. Single use: start once, close once. */
export class StdioChannel implements MessageChannel {
  onmessage?: (message: RpcMessage, size: number) => void;
  onclose?: (info: ChannelCloseInfo) => void;

  private readonly options: StdioChannelOptions;
  private readonly logs: LogSink;
  private state: State = 'idle';
  private child: ChildProcessWithoutNullStreams | undefined;
  private requested = false;
  private stopping: Promise<void> | undefined;
  private stdinFailed = false;
  private readonly exited = deferred();
  private readonly stdioClosed = deferred();
  private readonly ended = deferred();
  private readonly stdout: LineSplitter;
  private readonly stderr: LineSplitter;

  constructor(options: StdioChannelOptions) {
    this.options = options;
    this.logs = options.logs;
    const deliver = (message: RpcMessage, size: number): void => this.onmessage?.(message, size);
    const noise = (line: string): void => this.logs.append('stdout', line);
    this.stdout = new LineSplitter(
      (pieces, length) => dispatchLine(pieces, length, deliver, noise),
      () => this.logs.append('system', `dropped a stdout line longer than ${MAX_MESSAGE_LENGTH} bytes`),
      MAX_MESSAGE_LENGTH,
    );
    this.stderr = new LineSplitter(
      (pieces) => this.logs.append('stderr', textOf(pieces)),
      () => this.logs.append('system', `dropped a stderr line longer than ${MAX_STDERR_LINE_LENGTH} bytes`),
      MAX_STDERR_LINE_LENGTH,
    );
  }

  /** PID of the child once spawned. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Spawns the server. Resolves once the process runs; rejects with a message naming the server and
   * the cause (also logged as 'system'). A failed start ends the channel without calling `onclose`:
   * the rejection is the report. A channel starts at most once.
   */
  start(): Promise<void> {
    if (this.state !== 'idle') return Promise.reject(new Error(`server "${this.options.name}" was already started or closed`));
    this.state = 'starting';
    const { command, args, env, cwd } = this.options;
    const searchPath = pathOf(env, process.platform) ?? '';
    const file = resolveCommand(command, searchPath, process.platform);
    if (file === undefined) return Promise.reject(this.fail(`command not found (${describeSearchPath(searchPath)})`));
    let child: ChildProcessWithoutNullStreams;
    try {
      // cross-spawn wraps Windows .cmd shims in cmd.exe with safe quoting; elsewhere it is plain spawn.
      child = spawn(file, args, {
        cwd,
        env,
        shell: false,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
        windowsHide: true,
      }) as ChildProcessWithoutNullStreams;
    } catch (error) {
      return Promise.reject(this.fail(describeSpawnError(error, command, file, cwd)));
    }
    this.child = child;
    this.wire(child);
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(this.fail(describeSpawnError(error, command, file, cwd)));
      child.once('error', onError);
      child.once('spawn', () => {
        child.removeListener('error', onError);
        if (this.state === 'starting') this.state = 'running';
        this.logs.append('system', `started ${command} (pid ${child.pid ?? '?'})`);
        resolve();
      });
    });
  }

  /** Writes one message as a JSON line to the child's stdin. Throws if the server is not running. */
  send(message: RpcMessage): number {
    if (this.state !== 'running' || !this.child || this.stdinFailed) {
      throw new Error(`server "${this.options.name}" is not running`);
    }
    const text = JSON.stringify(message) + '\n';
    this.child.stdin.write(text);
    return Buffer.byteLength(text);
  }

  /**
   * Stops the server: closes stdin, after `stdinGraceMs` sends SIGTERM to the process tree, after
   * `termGraceMs` SIGKILL. Resolves once the child has exited and its process group is gone.
   * Idempotent: every call returns the same promise.
   */
  close(): Promise<void> {
    this.stopping ??= this.stop();
    return this.stopping;
  }

  private async stop(): Promise<void> {
    const child = this.child;
    if (this.state === 'idle') {
      this.requested = true;
      this.finish({ reason: 'stopped', requested: true });
      return;
    }
    if ((this.state === 'starting' || this.state === 'running') && child) {
      this.requested = true;
      this.state = 'stopping';
      child.stdin.end();
      if (!(await this.escalate())) return;
    }
    await this.ended.promise;
  }

  /** Waits for the exit, escalating stdin close → SIGTERM → SIGKILL. False if even SIGKILL did not work. */
  private async escalate(): Promise<boolean> {
    const { stdinGraceMs = 2000, termGraceMs = 3000 } = this.options;
    if (await settlesWithin(this.exited.promise, stdinGraceMs)) return true;
    this.logs.append('system', `still running ${stdinGraceMs} ms after stdin was closed: sending SIGTERM`);
    await this.signalTree('SIGTERM');
    if (await settlesWithin(this.exited.promise, termGraceMs)) return true;
    this.logs.append('system', `still running ${termGraceMs} ms after SIGTERM: sending SIGKILL`);
    await this.signalTree('SIGKILL');
    if (await settlesWithin(this.exited.promise, termGraceMs)) return true;
    this.logs.append('system', `still running ${termGraceMs} ms after SIGKILL: giving up`);
    return false;
  }

  private wire(child: ChildProcessWithoutNullStreams): void {
    // Bytes, not text: lines are decoded one by one, and a big answer's bytes may go out as they came.
    child.stdout.on('data', (chunk: Buffer) => this.stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    child.stdin.on('error', (error) => this.onStdinError(error));
    child.stdout.on('error', (error) => this.logs.append('system', `stdout: ${error.message}`));
    child.stderr.on('error', (error) => this.logs.append('system', `stderr: ${error.message}`));
    child.on('error', (error) => {
      // Errors before 'spawn' are handled by start().
      if (this.state !== 'starting' && this.state !== 'closed') this.logs.append('system', error.message);
    });
    child.once('close', () => this.stdioClosed.resolve());
    child.once('exit', (code, signal) => void this.onExit(code, signal));
  }

  /** EPIPE and friends: the child closed stdin or died. Its exit is reported separately. */
  private onStdinError(error: Error): void {
    if (this.stdinFailed) return;
    this.stdinFailed = true;
    this.logs.append('system', `stdin: ${error.message}`);
  }

  private async onExit(code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    if (this.state === 'closed') return;
    const requested = this.requested;
    this.state = 'exited';
    this.exited.resolve();
    const pid = this.child?.pid;
    if (pid !== undefined && process.platform !== 'win32') {
      // Grandchildren left behind in the server's process group: nobody else will stop them.
      killGroup(pid, 'SIGKILL');
      await settlesWithin(this.stdioClosed.promise, STDIO_DRAIN_MS);
      if (!(await waitForTreeExit(pid, this.options.termGraceMs ?? 3000))) {
        this.logs.append('system', `processes of group ${pid} still alive after SIGKILL`);
      }
    } else {
      await settlesWithin(this.stdioClosed.promise, STDIO_DRAIN_MS);
    }
    const reason = requested ? (signal ? `stopped (killed by ${signal})` : 'stopped') : describeExit(code, signal);
    this.finish({ code, signal, reason, requested });
  }

  private async signalTree(signal: NodeJS.Signals): Promise<void> {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      await killTree(pid, signal);
    } catch (error) {
      this.logs.append('system', `cannot send ${signal} to pid ${pid}: ${errorMessage(error)}`);
    }
  }

  /** Logs a start failure, ends the channel (silently) and returns the error for start() to reject with. */
  private fail(detail: string): Error {
    const message = `server "${this.options.name}": cannot start "${this.options.command}": ${detail}`;
    this.logs.append('system', message);
    this.finish(undefined);
    return new Error(message);
  }

  /** Flushes pending output, releases the pipes and reports the end (unless start failed), once. */
  private finish(info: ChannelCloseInfo | undefined): void {
    if (this.state === 'closed') return;
    this.state = 'exited';
    this.stdout.end();
    this.stderr.end();
    this.state = 'closed';
    this.child?.stdin.destroy();
    this.child?.stdout.destroy();
    this.child?.stderr.destroy();
    this.exited.resolve();
    if (info) {
      if (info.code !== undefined || info.signal !== undefined) this.logs.append('system', info.reason);
      this.onclose?.(info);
    }
    this.ended.resolve();
  }
}

/** PATH from an environment; Windows spells it `Path` and treats the name case-insensitively. */
function pathOf(env: Record<string, string>, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') return env.PATH;
  const key = Object.keys(env).find((name) => name.toUpperCase() === 'PATH');
  return key === undefined ? undefined : env[key];
}

function describeSearchPath(searchPath: string): string {
  const dirs = searchPath.split(process.platform === 'win32' ? ';' : ':').filter((dir) => dir !== '');
  if (dirs.length === 0) return 'PATH is empty';
  const more = dirs.length > 5 ? `, … ${dirs.length - 5} more` : '';
  return `searched PATH: ${dirs.slice(0, 5).join(', ')}${more}`;
}

function describeSpawnError(error: unknown, command: string, file: string, cwd: string | undefined): string {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  if (code === 'ENOENT' && cwd !== undefined && !existsSync(cwd)) return `working directory "${cwd}" does not exist`;
  if (code === 'ENOENT') return file === command ? 'no such file' : `"${file}" not found`;
  if (code === 'EACCES') return `permission denied running "${file}" (is it executable?)`;
  return errorMessage(error);
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exited with code ${code ?? 'unknown'}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function deferred(): Deferred {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** True if `promise` settles within `ms`; the timer is cleared either way. */
async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
