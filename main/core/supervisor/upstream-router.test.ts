/**
 * The router between client sessions and one upstream, against a fake channel and fake peers:
 * what goes upstream, what comes back to whom.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  isRequest,
  type RequestId,
  type RpcMessage,
  type RpcNotification,
  type RpcRequest,
  type RpcResponse,
} from '../protocol/jsonrpc.js';
import type { ChannelCloseInfo, MessageChannel } from './channel.js';
import type { PeerReply, UpstreamPeer } from './upstream-peer.js';
import { UpstreamRouter, type RouterContext } from './upstream-router.js';

/** Records what the router sends upstream. */
class FakeChannel implements MessageChannel {
  onmessage?: (message: RpcMessage) => void;
  onclose?: (info: ChannelCloseInfo) => void;
  readonly sent: RpcMessage[] = [];
  open = true;

  start(): Promise<void> {
    return Promise.resolve();
  }

  send(message: RpcMessage): number {
    if (!this.open) throw new Error('fake channel is closed');
    this.sent.push(structuredClone(message));
    return 0;
  }

  close(): Promise<void> {
    this.open = false;
    return Promise.resolve();
  }

  requests(): RpcRequest[] {
    return this.sent.filter(isRequest);
  }

  /** The last request sent upstream. */
  lastRequest(): RpcRequest {
    const request = this.requests().at(-1);
    if (!request) throw new Error('nothing was sent upstream');
    return request;
  }

  notifications(method: string): RpcNotification[] {
    return this.sent.filter(
      (message): message is RpcNotification => 'method' in message && !('id' in message) && message.method === method,
    );
  }

  responses(): RpcResponse[] {
    return this.sent.filter((message): message is RpcResponse => !('method' in message));
  }
}

interface Asked {
  request: RpcRequest;
  relatedRequestId: RequestId | undefined;
  signal: AbortSignal;
  reply: (reply: PeerReply) => void;
}

/** A client session: records notifications and the server's requests, which the test answers. */
class FakePeer implements UpstreamPeer {
  readonly notifications: { notification: RpcNotification; relatedRequestId: RequestId | undefined }[] = [];
  readonly asked: Asked[] = [];

  constructor(
    readonly label: string,
    readonly clientCapabilities: Record<string, unknown> | undefined = {},
  ) {}

  deliverNotification(notification: RpcNotification, relatedRequestId?: RequestId): void {
    this.notifications.push({ notification, relatedRequestId });
  }

  askClient(request: RpcRequest, relatedRequestId: RequestId | undefined, signal: AbortSignal): Promise<PeerReply> {
    return new Promise((reply) => this.asked.push({ request, relatedRequestId, signal, reply }));
  }
}

function setup(peers: FakePeer[] = [], subscribers: Record<string, FakePeer[]> = {}) {
  const channel = new FakeChannel();
  const routed: RpcNotification[] = [];
  const logged: string[] = [];
  const context: RouterContext = {
    name: 'files',
    peers: new Set(peers),
    subscribersOf: (uri) => subscribers[uri] ?? [],
    onNotification: (notification) => routed.push(notification),
    log: (line) => logged.push(line),
  };
  const router = new UpstreamRouter(channel, context);
  return { channel, router, routed, logged };
}

const request = (id: RequestId, method = 'tools/call', params: Record<string, unknown> = { name: 'read' }): RpcRequest => ({
  jsonrpc: '2.0',
  id,
  method,
  params,
});
const result = (id: RequestId, value: Record<string, unknown> = {}): RpcResponse => ({ jsonrpc: '2.0', id, result: value });
const NO_TIMEOUT = 0;

/** Settles on the next turn, so a test can see that a promise is still pending. */
function isPending(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  return Promise.race([promise, new Promise((resolve) => setImmediate(() => resolve(marker)))]).then((value) => value === marker);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('UpstreamRouter', () => {
  it('gives each request a fresh upstream id and answers under the id the peer used', async () => {
    const a = new FakePeer('a');
    const b = new FakePeer('b');
    const { channel, router } = setup([a, b]);

    // Both peers use id 1; the upstream must see two different ids.
    const fromA = router.forward(request(1, 'tools/call', { name: 'read', arguments: { path: 'a' } }), a, NO_TIMEOUT);
    const fromB = router.forward(request(1, 'tools/call', { name: 'read', arguments: { path: 'b' } }), b, NO_TIMEOUT);
    const [upA, upB] = channel.requests();
    expect(upA!.id).not.toBe(upB!.id);
    expect(upA!.params).toEqual({ name: 'read', arguments: { path: 'a' } });
    expect(router.inFlight).toBe(2);

    // Answered out of order.
    router.handle(result(upB!.id, { text: 'b' }));
    router.handle(result(upA!.id, { text: 'a' }));
    expect(await fromA).toEqual({ jsonrpc: '2.0', id: 1, result: { text: 'a' } });
    expect(await fromB).toEqual({ jsonrpc: '2.0', id: 1, result: { text: 'b' } });
    expect(router.inFlight).toBe(0);
  });

  it('keeps string ids and error responses intact on the way back', async () => {
    const peer = new FakePeer('a');
    const { channel, router } = setup([peer]);
    const pending = router.forward(request('req-α'), peer, NO_TIMEOUT);
    router.handle({ jsonrpc: '2.0', id: channel.lastRequest().id, error: { code: -32602, message: 'bad path', data: { path: '/x' } } });
    expect(await pending).toEqual({ jsonrpc: '2.0', id: 'req-α', error: { code: -32602, message: 'bad path', data: { path: '/x' } } });
  });

  it('remaps progress tokens upstream and restores them for the peer', () => {
    const a = new FakePeer('a');
    const b = new FakePeer('b');
    const { channel, router } = setup([a, b]);
    void router.forward(request(5, 'tools/call', { name: 'index', _meta: { progressToken: 'tok', traceId: 't1' } }), a, NO_TIMEOUT);
    void router.forward(request(5, 'tools/call', { name: 'index', _meta: { progressToken: 'tok' } }), b, NO_TIMEOUT);
    const [upA, upB] = channel.requests();

    // Other _meta fields pass through; the token becomes one the upstream cannot confuse.
    expect(upA!.params?._meta).toEqual({ progressToken: upA!.id, traceId: 't1' });
    expect(upB!.params?._meta).toEqual({ progressToken: upB!.id });

    router.handle({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: upB!.id, progress: 1, total: 2 } });
    expect(b.notifications).toEqual([
      {
        notification: { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'tok', progress: 1, total: 2 } },
        relatedRequestId: 5,
      },
    ]);
    expect(a.notifications).toEqual([]);
  });

  it('drops progress for a token it does not know, and says so in the log', () => {
    const peer = new FakePeer('a');
    const { router, logged } = setup([peer]);
    void router.forward(request(1), peer, NO_TIMEOUT); // no progress token asked for
    router.handle({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } });
    router.handle({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'stranger', progress: 1 } });
    expect(peer.notifications).toEqual([]);
    expect(logged).toHaveLength(2);
  });

  it('ignores responses to ids it is not waiting for', async () => {
    const peer = new FakePeer('a');
    const { channel, router } = setup([peer]);
    const pending = router.forward(request(1), peer, NO_TIMEOUT);
    const upstreamId = channel.lastRequest().id;

    router.handle(result(999));
    router.handle(result('not-ours'));
    router.handle({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
    expect(await isPending(pending)).toBe(true);

    router.handle(result(upstreamId, { ok: true }));
    expect(await pending).toEqual(result(1, { ok: true }));
    // A second answer to the same id is a late one: ignored too.
    expect(() => router.handle(result(upstreamId, { again: true }))).not.toThrow();
  });

  it('logs and drops what the server sends that is not JSON-RPC, instead of passing it to the peers', async () => {
    const peer = new FakePeer('a');
    const { router, routed, logged } = setup([peer]);
    const pending = router.forward(request(1), peer, NO_TIMEOUT);

    // A JSON logger writing to stdout (pino, bunyan…), and objects that only look like messages.
    const junk = [
      { level: 30, msg: 'listening' },
      { jsonrpc: '1.0', method: 'notifications/message' },
      { jsonrpc: '2.0', method: 42 },
    ];
    for (const message of junk) router.handle(message as unknown as RpcMessage);

    expect(peer.notifications).toEqual([]);
    expect(routed).toEqual([]);
    expect(logged).toHaveLength(junk.length);
    expect(logged[0]).toContain('"msg":"listening"');
    expect(await isPending(pending)).toBe(true);
  });

  it('close() fails every pending request with a message naming the server, and later ones at once', async () => {
    const a = new FakePeer('a');
    const { router } = setup([a]);
    const first = router.forward(request(1), a, NO_TIMEOUT);
    const second = router.forward(request('two'), undefined, NO_TIMEOUT);

    router.close('crashed (killed by SIGKILL)');
    expect(await first).toEqual({ jsonrpc: '2.0', id: 1, error: { code: -32000, message: 'server "files" crashed (killed by SIGKILL)' } });
    expect(await second).toMatchObject({ id: 'two', error: { message: 'server "files" crashed (killed by SIGKILL)' } });
    expect(await router.forward(request(3), a, NO_TIMEOUT)).toMatchObject({
      id: 3,
      error: { code: -32000, message: 'server "files" is not running' },
    });
    expect(router.inFlight).toBe(0);
  });

  it('answers an error naming the server when the channel refuses to send', async () => {
    const peer = new FakePeer('a');
    const { channel, router } = setup([peer]);
    channel.open = false;
    const response = await router.forward(request(1), peer, NO_TIMEOUT);
    expect(response).toMatchObject({ id: 1, error: { code: -32000 } });
    expect(response && 'error' in response ? response.error.message : '').toContain('server "files"');
    expect(router.inFlight).toBe(0);
  });

  it('times a request out with an error naming the server, and cancels it upstream', async () => {
    vi.useFakeTimers();
    const peer = new FakePeer('a');
    const { channel, router } = setup([peer]);
    const pending = router.forward(request(1), peer, 1_500);
    const upstreamId = channel.lastRequest().id;

    vi.advanceTimersByTime(1_500);
    expect(await pending).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32001, message: 'server "files": request timed out after 1.5 s' },
    });
    expect(channel.notifications('notifications/cancelled')).toEqual([
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: upstreamId, reason: 'timed out after 1.5 s' } },
    ]);
    // The answer that comes too late goes nowhere.
    router.handle(result(upstreamId));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('forwards a cancellation under the upstream id and resolves the request with nothing', async () => {
    const a = new FakePeer('a');
    const b = new FakePeer('b');
    const { channel, router } = setup([a, b]);
    const fromA = router.forward(request(1), a, NO_TIMEOUT);
    const fromB = router.forward(request(1), b, NO_TIMEOUT);
    const [, upB] = channel.requests();

    router.cancel(b, 1, 'user aborted');
    expect(await fromB).toBeUndefined();
    expect(channel.notifications('notifications/cancelled')).toEqual([
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: upB!.id, reason: 'user aborted' } },
    ]);
    // Only b's request: a's, with the same downstream id, is still waiting.
    expect(await isPending(fromA)).toBe(true);
    // Cancelling what is not in flight sends nothing.
    router.cancel(b, 42);
    expect(channel.notifications('notifications/cancelled')).toHaveLength(1);
  });

  it('cancels every request of a peer that went away', async () => {
    const a = new FakePeer('a');
    const b = new FakePeer('b');
    const { channel, router } = setup([a, b]);
    const a1 = router.forward(request(1), a, NO_TIMEOUT);
    const a2 = router.forward(request(2), a, NO_TIMEOUT);
    const b1 = router.forward(request(1), b, NO_TIMEOUT);
    const [up1, up2] = channel.requests();

    router.cancelAllOf(a, 'the client session ended');
    expect(await a1).toBeUndefined();
    expect(await a2).toBeUndefined();
    expect(channel.notifications('notifications/cancelled').map((n) => n.params)).toEqual([
      { requestId: up1!.id, reason: 'the client session ended' },
      { requestId: up2!.id, reason: 'the client session ended' },
    ]);
    expect(await isPending(b1)).toBe(true);
  });

  it('routes a server→client request to the peer with the most recent in-flight request, and its answer back', () => {
    const a = new FakePeer('a', { sampling: {} });
    const b = new FakePeer('b', { sampling: {} });
    const c = new FakePeer('c', {}); // newest caller, but cannot sample
    const { channel, router } = setup([a, b, c]);
    void router.forward(request('a-1'), a, NO_TIMEOUT);
    void router.forward(request('b-1'), b, NO_TIMEOUT);
    void router.forward(request('c-1'), c, NO_TIMEOUT);

    const sampling: RpcRequest = { jsonrpc: '2.0', id: 'srv-1', method: 'sampling/createMessage', params: { messages: [], maxTokens: 10 } };
    router.handle(sampling);
    expect(a.asked).toHaveLength(0);
    expect(c.asked).toHaveLength(0);
    expect(b.asked).toHaveLength(1);
    expect(b.asked[0]).toMatchObject({ request: sampling, relatedRequestId: 'b-1' });

    b.asked[0]!.reply({ result: { role: 'assistant', content: { type: 'text', text: 'hi' }, model: 'm' } });
    return vi.waitFor(() => {
      expect(channel.responses()).toEqual([
        { jsonrpc: '2.0', id: 'srv-1', result: { role: 'assistant', content: { type: 'text', text: 'hi' }, model: 'm' } },
      ]);
    });
  });

  it('without a request in flight, asks any connected peer that can answer; refuses when none can', async () => {
    const a = new FakePeer('a', { roots: {} });
    const b = new FakePeer('b', {});
    const { channel, router } = setup([a, b]);

    router.handle({ jsonrpc: '2.0', id: 1, method: 'roots/list' });
    expect(a.asked).toHaveLength(1);
    expect(a.asked[0]!.relatedRequestId).toBeUndefined();

    router.handle({ jsonrpc: '2.0', id: 2, method: 'elicitation/create', params: {} });
    await vi.waitFor(() => expect(channel.responses()).toHaveLength(1));
    expect(channel.responses()[0]).toMatchObject({
      id: 2,
      error: { code: -32601, message: expect.stringContaining('no connected client supports elicitation') as unknown },
    });
  });

  it('aborts a server→client request the server cancels, and sends no answer for it', async () => {
    const a = new FakePeer('a', { sampling: {} });
    const { channel, router } = setup([a]);
    void router.forward(request(1), a, NO_TIMEOUT);
    router.handle({ jsonrpc: '2.0', id: 's1', method: 'sampling/createMessage', params: {} });
    const asked = a.asked[0]!;

    router.handle({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 's1' } });
    expect(asked.signal.aborted).toBe(true);
    asked.reply({ result: {} });
    await new Promise((resolve) => setImmediate(resolve));
    expect(channel.responses()).toEqual([]);
  });

  it('answers ping itself, without bothering any peer', () => {
    const a = new FakePeer('a', { sampling: {}, roots: {} });
    const { channel, router, routed } = setup([a]);
    void router.forward(request(1), a, NO_TIMEOUT);

    router.handle({ jsonrpc: '2.0', id: 'ping-1', method: 'ping' });
    expect(channel.responses()).toEqual([{ jsonrpc: '2.0', id: 'ping-1', result: {} }]);
    expect(a.asked).toEqual([]);
    expect(routed).toEqual([]);
  });

  it('sends logging to the peer whose request is in flight, list_changed to everyone, resource updates to subscribers', () => {
    const a = new FakePeer('a');
    const b = new FakePeer('b');
    const { router, routed } = setup([a, b], { 'file:///x': [b] });
    void router.forward(request('a-1'), a, NO_TIMEOUT);

    const log: RpcNotification = { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'working' } };
    const changed: RpcNotification = { jsonrpc: '2.0', method: 'notifications/tools/list_changed' };
    const updated: RpcNotification = { jsonrpc: '2.0', method: 'notifications/resources/updated', params: { uri: 'file:///x' } };
    router.handle(log);
    router.handle(changed);
    router.handle(updated);

    expect(a.notifications).toEqual([
      { notification: log, relatedRequestId: 'a-1' },
      { notification: changed, relatedRequestId: undefined },
    ]);
    expect(b.notifications).toEqual([
      { notification: changed, relatedRequestId: undefined },
      { notification: updated, relatedRequestId: undefined },
    ]);
    expect(routed.map((n) => n.method)).toEqual([
      'notifications/message',
      'notifications/tools/list_changed',
      'notifications/resources/updated',
    ]);
  });
});
