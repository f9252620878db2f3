/**
 * All configured servers: one `ServerSupervisor` each, started in parallel, stopped together.
 * Builds the channel of each run (stdio child or remote connection) from the resolved config.
 */
import { homedir } from 'node:os';
import type { ResolvedServer } from '../config/config-loader.js';
import { Emitter } from '../events/emitter.js';
import type { MessageChannel } from './channel.js';
import { childEnv } from './child-env.js';
import { buildSearchPath, loginShellPath } from './command-resolver.js';
import type { LogBuffer } from './log-buffer.js';
import type { SignIns } from '../oauth/sign-ins.js';
import { RemoteChannel, type ChannelAuth } from './remote-channel.js';
import { ServerSupervisor, type SignInLookup, type StateChange } from './server-supervisor.js';
import { StdioChannel } from './stdio-channel.js';

export interface SupervisorOptions {
  env?: Record<string, string | undefined>;
  version?: string;
  /** Overrides how channels are made (tests). */
  createChannel?: (server: ResolvedServer, logs: LogBuffer) => MessageChannel;
  /** Sign-in to remote servers that ask for it (OAuth); none: a 401 is an error like any other. */
  signIns?: SignIns;
  /** Stop timeouts for stdio children. */
  stdinGraceMs?: number;
  termGraceMs?: number;
}

export class Supervisor {
  private readonly servers = new Map<string, ServerSupervisor>();
  private readonly stateEmitter = new Emitter<StateChange>();
  private readonly createEmitter = new Emitter<ServerSupervisor>();
  private searchPath: string | undefined;

  /** Fires on every state change of every registered server. */
  readonly onDidChangeState = this.stateEmitter.event;
  /** Fires for every server supervisor made, registered or per-session (call log, PID records). */
  readonly onDidCreateServer = this.createEmitter.event;

  constructor(private readonly options: SupervisorOptions = {}) {}

  get(name: string): ServerSupervisor | undefined {
    return this.servers.get(name);
  }

  list(): ServerSupervisor[] {
    return [...this.servers.values()];
  }

  names(): string[] {
    return [...this.servers.keys()];
  }

  /** Adds a server (not started). */
  add(server: ResolvedServer): ServerSupervisor {
    const supervisor = this.create(server);
    this.servers.set(server.name, supervisor);
    supervisor.onDidChangeState((change) => this.stateEmitter.fire(change));
    return supervisor;
  }

  /** Makes a supervisor that is not registered (per-session servers), with custom initialize params. */
  create(server: ResolvedServer, initializeParams?: Record<string, unknown>): ServerSupervisor {
    const created = new ServerSupervisor({
      server,
      createChannel: this.options.createChannel ?? ((config, logs) => this.createChannel(config, logs)),
      initializeParams,
      version: this.options.version,
      ...(this.options.signIns ? { signIn: signInLookup(this.options.signIns) } : {}),
    });
    this.createEmitter.fire(created);
    return created;
  }

  /** Removes and stops a server. */
  async remove(name: string): Promise<void> {
    const supervisor = this.servers.get(name);
    if (!supervisor) return;
    this.servers.delete(name);
    await supervisor.dispose();
  }

  /** Starts every enabled server in parallel; resolves when each is running or failed. */
  async startAll(): Promise<void> {
    await this.prepareSearchPath();
    await Promise.all(this.list().map((server) => server.start()));
  }

  /**
   * Widens PATH the way a login shell sees it, once. A GUI launch (no TERM) starts with a bare PATH;
   * `MCP_ORCH_LOGIN_SHELL_PATH=1|0` forces the look-up on or off.
   */
  async prepareSearchPath(): Promise<void> {
    if (this.searchPath !== undefined) return;
    const env = this.options.env ?? process.env;
    const wanted = env.MCP_ORCH_LOGIN_SHELL_PATH ?? (env.TERM === undefined ? '1' : '0');
    const login = wanted === '1' ? await loginShellPath() : undefined;
    const own = env.PATH ?? env.Path ?? '';
    // A GUI launch's own PATH is the bare system one: the login shell's order wins (Homebrew before /usr/bin).
    this.searchPath = login ? buildSearchPath(login, own, env.HOME ?? homedir()) : buildSearchPath(own, undefined, env.HOME ?? homedir());
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.list().map((server) => server.stop()));
  }

  async dispose(): Promise<void> {
    await Promise.all(this.list().map((server) => server.dispose()));
    this.servers.clear();
    this.stateEmitter.dispose();
    this.createEmitter.dispose();
  }

  private channelAuth(server: ResolvedServer): ChannelAuth | undefined {
    const signIns = this.options.signIns;
    if (!signIns || !server.oauth || !server.url) return undefined;
    const { name } = server;
    return {
      provider: signIns.connectionProvider({ name, url: server.url, oauth: server.oauth }),
      noteChallenge: (challenge) => signIns.noteChallenge(name, challenge),
      problem: () => signIns.problem(name),
      refused: (detail) => signIns.refused(name, detail),
      failed: (error) => signIns.failed(name, error),
    };
  }

  private createChannel(server: ResolvedServer, logs: LogBuffer): MessageChannel {
    if (server.transport !== 'stdio') {
      const auth = this.channelAuth(server);
      return new RemoteChannel({
        name: server.name,
        transport: server.transport,
        url: server.url!,
        headers: server.headers,
        logs,
        ...(auth ? { auth } : {}),
      });
    }
    const env = this.options.env ?? process.env;
    this.searchPath ??= buildSearchPath(env.PATH ?? env.Path ?? '', undefined, env.HOME ?? homedir());
    return new StdioChannel({
      name: server.name,
      command: server.command!,
      args: server.args,
      env: childEnv(env, this.searchPath, server.env),
      cwd: server.cwd,
      logs,
      ...(this.options.stdinGraceMs !== undefined ? { stdinGraceMs: this.options.stdinGraceMs } : {}),
      ...(this.options.termGraceMs !== undefined ? { termGraceMs: this.options.termGraceMs } : {}),
    });
  }
}

/** What a server's supervisor asks of sign-in: its status, and whether it is what stops the server. */
function signInLookup(signIns: SignIns): SignInLookup {
  return {
    status: (server) =>
      server.oauth && server.url ? signIns.status({ name: server.name, url: server.url, oauth: server.oauth }) : undefined,
    problem: (server) => (server.oauth ? signIns.problem(server.name) : undefined),
  };
}
