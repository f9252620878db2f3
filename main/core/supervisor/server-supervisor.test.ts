/**
 * The supervisor's state machine against a fake channel (the `createChannel` seam): crashes,
 * backoff, giving up, manual restart. Small crash-policy delays or fake timers keep it fast.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { recordStates } from '../__fixtures__/runtime-harness.js';
import type { ResolvedServer } from '../config/config-loader.js';
import { isRequest, type RpcMessage, type RpcNotification, type RpcRequest, type RpcResponse } from '../protocol/jsonrpc.js';
import type { ChannelCloseInfo, MessageChannel } from './channel.js';
import { DEFAULT_CRASH_POLICY, type CrashPolicyOptions } from './crash-policy.js';
import { ServerSupervisor } from './server-supervisor.js';
import type { PeerReply, UpstreamPeer } from './upstream-peer.js';

/** How one run of the fake server behaves. */
interface Behaviour {
  /** `start()` rejects with this message (a spawn error). */
  startError?: string;
  /** How `initialize` is met: answered (default), answered with an error, never answered, or the server exits. */
  initialize?: 'answer' | 'silent' | 'crash' | { error: string };
}

/** A `MessageChannel` that plays an MCP server: answers `initialize` and the `echo` tool; leaves every other call in flight. */
class FakeChannel implements MessageChannel {
  onmessage?: (message: RpcMessage) => void;
  onclose?: (info: ChannelCloseInfo) => void;
  readonly sent: RpcMessage[] = [];
  private open = false;
  private ended = false;

  constructor(
    readonly pid: number,
    private readonly behaviour: Behaviour,
  ) {}

  start(): Promise<void> {
    if (this.behaviour.startError) return Promise.reject(new Error(this.behaviour.startError));
    this.open = true;
    return Promise.resolve();
  }

  send(message: RpcMessage): number {
    if (!this.open) throw new Error('fake channel is not open');
    this.sent.push(message);
    if (isRequest(message) && message.method === 'initialize') this.onInitialize(message);
    else if (isRequest(message) && message.method === 'tools/call' && message.params?.name === 'echo') {
      this.reply({ jsonrpc: '2.0', id: message.id, result: { echoed: message.params.arguments ?? null, pid: this.pid } });
    }
    return 0;
  }

  /** The server dies on its own. */
  crash(code = 1): void {
    if (this.ended) return;
    this.open = false;
    this.ended = true;
    this.onclose?.({ code, signal: null, reason: `exited with code ${code}`, requested: false });
  }

  close(): Promise<void> {
    if (!this.ended) {
      this.open = false;
      this.ended = true;
      this.onclose?.({ code: 0, signal: null, reason: 'stopped', requested: true });
    }
    return Promise.resolve();
  }

  private onInitialize(request: RpcRequest): void {
    const how = this.behaviour.initialize ?? 'answer';
    if (how === 'silent') return;
    if (how === 'crash') {
      queueMicrotask(() => this.crash(1));
    } else if (how === 'answer') {
      this.reply({
        jsonrpc: '2.0',
        id: request.id,
        result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'fake', version: '1.0.0' } },
      });
    } else {
      this.reply({ jsonrpc: '2.0', id: request.id, error: { code: -32603, message: how.error } });
    }
  }

  /** Answers asynchronously, as a real channel does. */
  private reply(response: RpcResponse): void {
    queueMicrotask(() => {
      if (this.open) this.onmessage?.(response);
    });
  }
}

/** A client session that records the notifications it gets. */
class RecordingPeer implements UpstreamPeer {
  readonly methods: string[] = [];

  constructor(readonly clientCapabilities: Record<string, unknown> | undefined) {}

  deliverNotification(notification: RpcNotification): void {
    this.methods.push(notification.method);
  }

  askClient(): Promise<PeerReply> {
    return Promise.resolve({ error: { code: -32601, message: 'not supported' } });
  }
}

const SERVER: ResolvedServer = {
  name: 'fake',
  transport: 'stdio',
  command: 'fake-server',
  args: [],
  env: {},
  headers: {},
  timeoutMs: 10_000,
  autoApprove: [],
  disabled: false,
  sessionMode: 'shared',
  protocol: '2025',
};
const FAST_POLICY: CrashPolicyOptions = { baseDelayMs: 1, maxDelayMs: 4, maxCrashes: 3, windowMs: 60_000 };

const supervisors: ServerSupervisor[] = [];

afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((server) => server.dispose()));
  vi.useRealTimers();
});

/** A supervisor whose n-th run gets `behaviours[n]` (the last one repeats). */
function setup(behaviours: Behaviour[] = [{}], options: { crashPolicy?: CrashPolicyOptions; server?: Partial<ResolvedServer> } = {}) {
  const channels: FakeChannel[] = [];
  const server = new ServerSupervisor({
    server: { ...SERVER, ...options.server },
    crashPolicy: options.crashPolicy ?? FAST_POLICY,
    createChannel: () => {
      const channel = new FakeChannel(1000 + channels.length, behaviours[Math.min(channels.length, behaviours.length - 1)] ?? {});
      channels.push(channel);
      return channel;
    },
  });
  supervisors.push(server);
  const current = (): FakeChannel => {
    const channel = channels.at(-1);
    if (!channel) throw new Error('no channel yet');
    return channel;
  };
  return { server, channels, current, states: recordStates(server.onDidChangeState) };
}

const call = (name: string, id: number | string = 7): RpcRequest => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: { n: id } },
});

function errorOf(response: RpcResponse | undefined): { code: number; message: string } {
  if (!response || !('error' in response)) throw new Error(`expected an error response, got ${JSON.stringify(response)}`);
  return response.error;
}

describe('ServerSupervisor', () => {
  it('starts, performs the handshake and forwards calls', async () => {
    const { server, current, states } = setup();
    await server.start();

    expect(states.states).toEqual(['starting', 'running']);
    expect(server.status()).toMatchObject({ name: 'fake', state: 'running', pid: 1000, restarts: 0 });
    expect(server.initializeResult).toMatchObject({ serverInfo: { name: 'fake' } });
    expect(current().sent.map((message) => ('method' in message ? message.method : 'response'))).toEqual([
      'initialize',
      'notifications/initialized',
    ]);

    const response = await server.forward(call('echo', 'a'), undefined);
    expect(response).toEqual({ jsonrpc: '2.0', id: 'a', result: { echoed: { n: 'a' }, pid: 1000 } });
  });

  it('fails in-flight calls at once with an error naming the server when it crashes, then restarts it', async () => {
    const { server, current, states } = setup();
    await server.start();
    const inFlight = server.forward(call('slow', 1), undefined);

    current().crash(1);
    const error = errorOf(await inFlight);
    expect(error.message).toBe('server "fake" crashed (exited with code 1)');

    await states.until('running', 2);
    expect(states.states).toEqual(['starting', 'running', 'crashed', 'backoff', 'starting', 'running']);
    expect(server.status()).toMatchObject({ state: 'running', pid: 1001, restarts: 1, exitCode: 1 });
    expect(server.status().lastError).toBe('exited unexpectedly: exited with code 1');
    expect(await server.forward(call('echo', 2), undefined)).toMatchObject({ id: 2, result: { pid: 1001 } });
  });

  it('tells the client sessions that stayed to re-fetch the lists of a restarted server', async () => {
    const { server, current, states } = setup();
    const initialized = new RecordingPeer({});
    const uninitialized = new RecordingPeer(undefined);
    server.attach(initialized);
    server.attach(uninitialized);
    await server.start();
    expect(initialized.methods).toEqual([]);

    current().crash();
    await states.until('running', 2);
    // The fake declares tools only.
    expect(initialized.methods).toEqual(['notifications/tools/list_changed']);
    expect(uninitialized.methods).toEqual([]);

    await server.restart();
    expect(initialized.methods).toEqual(['notifications/tools/list_changed', 'notifications/tools/list_changed']);
  });

  it('goes failed after the crash limit; a manual restart resets it and the server runs again', async () => {
    const { server, current, states } = setup();
    await server.start();
    for (let run = 1; run <= 2; run++) {
      current().crash();
      await states.until('running', run + 1);
    }
    current().crash();
    const failed = await states.until('failed');

    expect(states.states).toEqual([
      'starting',
      'running',
      'crashed',
      'backoff',
      'starting',
      'running',
      'crashed',
      'backoff',
      'starting',
      'running',
      'crashed',
      'failed',
    ]);
    expect(failed).toMatchObject({ state: 'failed', restarts: 2 });
    expect(failed.lastError).toMatch(/exited with code 1.*gave up after repeated crashes/);
    // A failed server refuses calls at once, saying why.
    expect(errorOf(await server.forward(call('echo'), undefined)).message).toMatch(/^server "fake" is failed: .*gave up/);

    await server.restart();
    expect(server.status()).toMatchObject({ state: 'running', restarts: 0, lastError: undefined });
    expect(await server.forward(call('echo', 3), undefined)).toMatchObject({ id: 3, result: { echoed: { n: 3 } } });

    // The crash history starts over: the next crash is retried, not fatal.
    current().crash();
    await states.until('running', 5);
    expect(states.states.slice(-8)).toEqual(['failed', 'stopped', 'starting', 'running', 'crashed', 'backoff', 'starting', 'running']);
  });

  it('waits 1 s, 2 s, 4 s, 8 s between restarts, then gives up on the fifth crash (default policy)', async () => {
    vi.useFakeTimers();
    const { server, current, states } = setup([{}], { crashPolicy: DEFAULT_CRASH_POLICY });
    await server.start();
    const delays: (number | undefined)[] = [];
    for (let crash = 1; crash <= 4; crash++) {
      current().crash();
      const backoff = await states.until('backoff', crash);
      const delay = backoff.retryInMs ?? 0;
      delays.push(delay);
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(server.state).toBe('backoff');
      await vi.advanceTimersByTimeAsync(1);
      await states.until('running', crash + 1);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000]);
    current().crash();
    await states.until('failed');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not retry a command that cannot be spawned, and refuses calls saying why', async () => {
    const { server, channels, states } = setup([
      { startError: 'server "fake": cannot start "fake-server": command not found (PATH is empty)' },
    ]);
    await server.start();

    expect(states.states).toEqual(['starting', 'failed']);
    expect(channels).toHaveLength(1);
    expect(server.status().lastError).toMatch(/command not found/);
    const error = errorOf(await server.forward(call('echo'), undefined));
    expect(error.message).toMatch(/^server "fake" is failed: .*command not found/);
    await expect(server.whenRunning(1_000)).rejects.toThrow(/command not found/);

    await server.restart();
    expect(channels).toHaveLength(2);
    expect(server.state).toBe('failed');
  });

  it('retries a server whose handshake fails, keeping its message', async () => {
    const { server, states } = setup([{ initialize: { error: 'missing GITHUB_TOKEN' } }, {}]);
    await server.start();
    await states.until('running');

    expect(states.states).toContain('backoff');
    expect(server.status()).toMatchObject({ state: 'running', restarts: 1, lastError: 'initialize failed: missing GITHUB_TOKEN' });
  });

  it('counts a crash during the handshake as a crash, and leaves no timer behind', async () => {
    vi.useFakeTimers();
    const { server, states } = setup([{ initialize: 'crash' }, {}], { crashPolicy: DEFAULT_CRASH_POLICY });
    const started = server.start();
    await states.until('backoff');
    await vi.advanceTimersByTimeAsync(1_000);
    await states.until('running');
    await started;

    expect(states.states).toEqual(['starting', 'crashed', 'backoff', 'starting', 'running']);
    expect(server.status().lastError).toBe('exited unexpectedly: exited with code 1');
    await server.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops a server that is still in its handshake, and leaves no timer behind', async () => {
    vi.useFakeTimers();
    const { server, states } = setup([{ initialize: 'silent' }]);
    const started = server.start();
    await states.until('starting');

    await server.stop();
    await started;
    expect(server.state).toBe('stopped');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('holds calls made while the server restarts, and answers them once it runs', async () => {
    const { server, current, states } = setup([{}], { crashPolicy: { ...FAST_POLICY, baseDelayMs: 20, maxDelayMs: 20 } });
    await server.start();
    current().crash();
    await states.until('backoff');

    const held = server.forward(call('echo', 'held'), undefined);
    expect(await held).toMatchObject({ id: 'held', result: { pid: 1001 } });
  });

  it('cancels a pending restart when stopped during backoff', async () => {
    vi.useFakeTimers();
    const { server, channels, current, states } = setup([{}], { crashPolicy: DEFAULT_CRASH_POLICY });
    await server.start();
    current().crash();
    await states.until('backoff');

    await server.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(server.state).toBe('stopped');
    expect(channels).toHaveLength(1);
    expect(states.states.slice(-3)).toEqual(['crashed', 'backoff', 'stopped']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('fails pending calls with an error naming the server when stopped', async () => {
    const { server } = setup();
    await server.start();
    const pending = server.forward(call('slow'), undefined);

    await server.stop();
    expect(errorOf(await pending).message).toBe('server "fake" was stopped');
    expect(server.state).toBe('stopped');
    expect(errorOf(await server.forward(call('echo'), undefined)).message).toMatch(/^server "fake" is stopped/);
  });

  it('leaves a disabled server alone', async () => {
    const { server, channels, states } = setup([{}], { server: { disabled: true } });
    await server.start();

    expect(server.state).toBe('disabled');
    expect(channels).toHaveLength(0);
    expect(states.states).toEqual([]);
    expect(errorOf(await server.forward(call('echo'), undefined)).message).toMatch(/^server "fake" is disabled/);
  });
});
