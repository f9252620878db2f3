/**
 * Runs one configured MCP server (docs/specification.md §4): starts it, performs the MCP handshake, restarts it
 * with backoff when it crashes, and lets client sessions share it through an `UpstreamRouter`.
 *
 * States: stopped → starting → running → (crashed → backoff → starting) | failed; disabled.
 */
import type { ResolvedServer } from '../config/config-loader.js';
import { Emitter, type Disposer } from '../events/emitter.js';
import {
  RpcErrorCode,
  errorResponse,
  type RequestId,
  type RpcNotification,
  type RpcRequest,
  type RpcResponse,
} from '../protocol/jsonrpc.js';
import type { ChannelCloseInfo, MessageChannel } from './channel.js';
import { CrashPolicy, type CrashPolicyOptions } from './crash-policy.js';
import { LogBuffer } from './log-buffer.js';
import { announceListsChanged, shakeHands } from './upstream-handshake.js';
import { UpstreamListen } from './upstream-listen.js';
import type { UpstreamPeer } from './upstream-peer.js';
import { ResourceSubscriptions } from './resource-subscriptions.js';
import type { CatalogKind, ProcessEvent, ServerState, ServerStatus, SignInStatus, StateChange } from './server-status.js';
import { reportProcess } from './server-status.js';
import { UpstreamRouter, type CallRecord } from './upstream-router.js';
import { routerReady, settled } from './state-waits.js';

export type { CatalogKind, ProcessEvent, ServerState, ServerStatus, StateChange } from './server-status.js';

export interface ServerSupervisorOptions {
  server: ResolvedServer;
  /** Makes the channel for one run of the server (stdio child or remote connection). */
  createChannel: (server: ResolvedServer, logs: LogBuffer) => MessageChannel;
  /** `initialize` params to send upstream; defaults to MCP Orch as a client with every capability it can route. */
  initializeParams?: Record<string, unknown>;
  crashPolicy?: CrashPolicyOptions;
  /** Time allowed for spawn + `initialize` (npx may download first). */
  startTimeoutMs?: number;
  logs?: LogBuffer;
  version?: string;
  /** Sign-in of remote servers: status, and why one is needed. */
  signIn?: SignInLookup;
}

export interface SignInLookup {
  status(server: ResolvedServer): SignInStatus | undefined;
  problem(server: ResolvedServer): string | undefined;
}

const DEFAULT_START_TIMEOUT_MS = 120_000;

export class ServerSupervisor {
  readonly logs: LogBuffer;
  private server: ResolvedServer;
  private stateValue: ServerState;
  private channel: MessageChannel | undefined;
  private router: UpstreamRouter | undefined;
  /** The router of a run still in its handshake: closed with its channel, so the handshake ends at once. */
  private handshake: UpstreamRouter | undefined;
  private generation = 0;
  private backoffTimer: NodeJS.Timeout | undefined;
  private retryAt: number | undefined;
  private startedAt: number | undefined;
  private restarts = 0;
  private lastError: string | undefined;
  private lastExit: Pick<ChannelCloseInfo, 'code' | 'signal'> = {};
  private initialize: Record<string, unknown> | undefined;
  private readonly crashPolicy: CrashPolicy;
  private readonly peers = new Set<UpstreamPeer>();
  private readonly subscriptions = new ResourceSubscriptions();
  /** Carries the sessions' resource subscriptions to a server spoken to in 2026-07-28 only. */
  private readonly listen = new UpstreamListen(this.subscriptions, {
    name: () => this.server.name,
    log: (line) => this.logs.append('system', line),
  });
  private readonly stateEmitter = new Emitter<StateChange>();
  private readonly catalogEmitter = new Emitter<CatalogKind>();
  private readonly notificationEmitter = new Emitter<RpcNotification>();
  private readonly callEmitter = new Emitter<CallRecord>();
  private readonly processEmitter = new Emitter<ProcessEvent>();

  /** Fires on every state change. */
  readonly onDidChangeState = this.stateEmitter.event;
  /** Fires when the server's tools, resources or prompts may have changed (list_changed, restart). */
  readonly onDidChangeCatalog = this.catalogEmitter.event;
  /** Fires for every notification the server sends, after routing. */
  readonly onDidNotify = this.notificationEmitter.event;
  /** Fires when a client session's request to this server ends (the call log). */
  readonly onDidCall = this.callEmitter.event;
  /** Fires when a child process of this server is spawned and when it is gone (PID records). */
  readonly onDidChangeProcess = this.processEmitter.event;

  constructor(private readonly options: ServerSupervisorOptions) {
    this.server = options.server;
    this.logs = options.logs ?? new LogBuffer();
    this.crashPolicy = new CrashPolicy(options.crashPolicy);
    this.stateValue = this.server.disabled ? 'disabled' : 'stopped';
  }

  get name(): string {
    return this.server.name;
  }

  get config(): ResolvedServer {
    return this.server;
  }

  get state(): ServerState {
    return this.stateValue;
  }

  /** The upstream's `initialize` result (capabilities, serverInfo, instructions) while it runs. */
  get initializeResult(): Record<string, unknown> | undefined {
    return this.initialize;
  }

  status(): ServerStatus {
    return {
      name: this.server.name,
      state: this.stateValue,
      pid: this.channel?.pid,
      startedAt: this.stateValue === 'running' ? this.startedAt : undefined,
      restarts: this.restarts,
      lastError: this.lastError,
      exitCode: this.lastExit.code,
      signal: this.lastExit.signal,
      retryInMs: this.stateValue === 'backoff' && this.retryAt ? Math.max(0, this.retryAt - Date.now()) : undefined,
      signIn: this.options.signIn?.status(this.server),
    };
  }

  /** Tells the listeners of state changes that the sign-in status changed (the state may not have). */
  signInChanged(): void {
    this.stateEmitter.fire({ status: this.status(), previous: this.stateValue });
  }

  /**
   * Starts the server unless it runs or is disabled. Resolves once the first attempt has ended: `running`,
   * `failed`, or `backoff` after a crash during the handshake (the retries go on). Never throws.
   */
  async start(): Promise<void> {
    if (this.server.disabled) {
      this.setState('disabled');
      return;
    }
    if (this.stateValue === 'running' || this.stateValue === 'starting') {
      await settled(this.onDidChangeState, () => this.stateValue);
      return;
    }
    this.clearBackoff();
    await this.run();
  }

  /** Stops the server and its whole process tree. Pending calls fail with an error naming the server. */
  async stop(): Promise<void> {
    this.clearBackoff();
    const channel = this.channel;
    this.generation++;
    this.router?.close('was stopped');
    this.router = undefined;
    this.endHandshake('was stopped');
    this.channel = undefined;
    this.initialize = undefined;
    if (channel) await channel.close().catch((error: unknown) => this.logs.append('system', `stop: ${(error as Error).message}`));
    this.setState(this.server.disabled ? 'disabled' : 'stopped');
  }

  /** Manual restart: resets the crash history. */
  async restart(): Promise<void> {
    await this.stop();
    this.crashPolicy.reset();
    this.restarts = 0;
    this.lastError = undefined;
    await this.start();
  }

  /** Replaces the configuration (hot reload); the caller restarts when needed. */
  updateConfig(server: ResolvedServer): void {
    this.server = server;
  }

  /** Attaches a client session; returns the disposer that detaches it and cancels its requests. */
  attach(peer: UpstreamPeer): Disposer {
    this.peers.add(peer);
    return () => {
      this.peers.delete(peer);
      this.subscriptions.forget(peer);
      this.router?.cancelAllOf(peer, 'the client session ended');
    };
  }

  /**
   * Forwards a peer's request. Waits (within the server's timeout) while the server is starting or
   * backing off; fails at once when it is stopped, disabled or failed.
   */
  async forward(request: RpcRequest, peer: UpstreamPeer | undefined): Promise<RpcResponse | undefined> {
    const timeoutMs = this.server.timeoutMs;
    if (!this.router) {
      const problem = await this.waitForRouter(timeoutMs);
      if (problem) return errorResponse(request.id, RpcErrorCode.ConnectionClosed, problem);
    }
    const answered = this.listen.answer(request, peer);
    if (answered) return answered;
    this.subscriptions.track(request, peer);
    return this.router!.forward(request, peer, timeoutMs);
  }

  /** Forwards a peer's cancellation of one of its requests. */
  cancel(peer: UpstreamPeer | undefined, requestId: RequestId, reason?: string): void {
    this.router?.cancel(peer, requestId, reason);
  }

  /** Sends a client notification upstream (roots/list_changed…). Dropped while the server is down. */
  notify(notification: RpcNotification): void {
    this.router?.notify(notification);
  }

  /** A request of MCP Orch's own (the registry's `tools/list`, batch calls). */
  request(method: string, params?: Record<string, unknown>): Promise<RpcResponse | undefined> {
    return this.forward({ jsonrpc: '2.0', id: 0, method, ...(params ? { params } : {}) }, undefined);
  }

  /** Resolves when the server is running; rejects with the reason when it is not and will not be soon. */
  async whenRunning(timeoutMs: number): Promise<void> {
    const problem = await this.waitForRouter(timeoutMs);
    if (problem) throw new Error(problem);
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.stateEmitter.dispose();
    this.catalogEmitter.dispose();
    this.notificationEmitter.dispose();
    this.callEmitter.dispose();
    this.processEmitter.dispose();
  }

  private async run(): Promise<void> {
    const generation = ++this.generation;
    this.setState('starting');
    const channel = this.options.createChannel(this.server, this.logs);
    this.channel = channel;
    const router = new UpstreamRouter(channel, {
      name: this.server.name,
      peers: this.peers,
      subscribersOf: (uri) => this.subscriptions.of(uri),
      onNotification: (notification) => this.onUpstreamNotification(notification),
      log: (line) => this.logs.append('system', line),
      onCall: (record) => this.callEmitter.fire(record),
    });
    channel.onmessage = (message, size) => router.handle(message, size);
    channel.onclose = (info) => this.onChannelClosed(generation, info);
    this.handshake = router;

    const timeoutMs = this.options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    try {
      await channel.start();
    } catch (error) {
      if (this.handshake === router) this.handshake = undefined;
      if (generation !== this.generation) return;
      // A command that cannot be spawned will not fix itself by retrying.
      this.lastError = (error as Error).message;
      this.channel = undefined;
      if (!this.waitForSignIn()) this.setState('failed');
      return;
    }
    reportProcess(channel, this.server, (event) => this.processEmitter.fire(event));
    if (generation !== this.generation) return;
    const { response, generations } = await shakeHands(router, {
      ...(this.server.transport === 'streamableHttp' ? { sessionOpened: () => channel.sessionOpened === true } : {}),
      protocol: this.server.protocol,
      // Behind a sign-in, the first request's 401 is answered by discovery and registration first.
      discoverTimeoutMs: this.server.oauth ? timeoutMs : undefined,
      version: this.options.version,
      initializeParams: this.options.initializeParams,
      timeoutMs,
      log: (line) => this.logs.append('system', line),
    });
    if (this.handshake === router) this.handshake = undefined;
    if (generation !== this.generation) return;
    if (!response || 'error' in response) {
      const reason = response && 'error' in response ? response.error.message : 'no answer';
      this.lastError = `initialize failed: ${reason}`;
      this.logs.append('system', this.lastError);
      this.generation++;
      router.close('failed to initialize');
      this.channel = undefined;
      await channel.close().catch(() => undefined);
      if (!this.waitForSignIn()) this.afterCrash();
      return;
    }
    this.initialize = response.result;
    const modernOnly = generations === '2026-07-28';
    // A 2026-only server hears of the sessions' subscriptions in MCP Orch's listen, opened now.
    this.listen.attach(modernOnly ? router : undefined, response.result.capabilities);
    if (!modernOnly) {
      const version = response.result.protocolVersion;
      if (typeof version === 'string') (channel as { setProtocolVersion?: (v: string) => void }).setProtocolVersion?.(version);
      router.notify({ jsonrpc: '2.0', method: 'notifications/initialized' });
      // Bounded by the start timeout, not less: a busy machine delays the stream, not the server.
      await channel.sessionStream?.(timeoutMs);
      if (generation !== this.generation) return;
    }
    this.router = router;
    const rerun = this.startedAt !== undefined;
    this.startedAt = Date.now();
    if (!modernOnly) this.subscriptions.renew(router, this.server.timeoutMs);
    this.setState('running');
    if (this.restarts > 0) for (const kind of ['tools', 'resources', 'prompts'] as const) this.catalogEmitter.fire(kind);
    if (rerun) announceListsChanged(this.peers, response.result.capabilities);
  }

  private onChannelClosed(generation: number, info: ChannelCloseInfo): void {
    if (generation !== this.generation) return;
    this.generation++;
    this.lastExit = { code: info.code, signal: info.signal };
    const reason = info.requested ? 'was stopped' : `crashed (${info.reason})`;
    this.router?.close(reason);
    this.router = undefined;
    this.endHandshake(reason);
    this.channel = undefined;
    this.initialize = undefined;
    if (info.requested) {
      this.setState('stopped');
      return;
    }
    this.lastError = `exited unexpectedly: ${info.reason}`;
    this.logs.append('system', this.lastError);
    if (this.waitForSignIn()) return;
    this.setState('crashed');
    this.afterCrash();
  }

  /** Waits until a router exists; returns the reason in words when it will not within `timeoutMs`. */
  private waitForRouter(timeoutMs: number): Promise<string | undefined> {
    const describe = (): string =>
      `server "${this.server.name}" ${this.stateValue === 'needs-sign-in' ? 'needs sign-in' : `is ${this.stateValue}`}${this.lastError ? `: ${this.lastError}` : ''}`;
    return routerReady(
      this.onDidChangeState,
      { hasRouter: () => this.router !== undefined, state: () => this.stateValue, describe },
      timeoutMs,
    );
  }

  /** When a sign-in is what the server lacks, waits for one (`needs-sign-in`) instead of retrying. */
  private waitForSignIn(): boolean {
    const problem = this.options.signIn?.problem(this.server);
    if (!problem) return false;
    this.lastError = problem;
    this.setState('needs-sign-in');
    return true;
  }

  private afterCrash(): void {
    const delay = this.crashPolicy.recordCrash(Date.now());
    if (delay === undefined) {
      this.lastError = `${this.lastError ?? 'crashed'}; gave up after repeated crashes`;
      this.setState('failed');
      return;
    }
    this.restarts++;
    this.retryAt = Date.now() + delay;
    this.backoffTimer = setTimeout(() => {
      this.backoffTimer = undefined;
      void this.run();
    }, delay);
    this.backoffTimer.unref();
    this.setState('backoff');
  }

  /** Fails the pending `initialize` of a run that ends before its handshake did. */
  private endHandshake(reason: string): void {
    this.handshake?.close(reason);
    this.handshake = undefined;
  }

  private clearBackoff(): void {
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    this.backoffTimer = undefined;
    this.retryAt = undefined;
  }

  private onUpstreamNotification(notification: RpcNotification): void {
    const match = /^notifications\/(tools|resources|prompts)\/list_changed$/.exec(notification.method);
    if (match) this.catalogEmitter.fire(match[1] as CatalogKind);
    this.notificationEmitter.fire(notification);
  }

  private setState(state: ServerState): void {
    const previous = this.stateValue;
    if (previous === state && state !== 'backoff') return;
    this.stateValue = state;
    this.stateEmitter.fire({ status: this.status(), previous });
  }
}
