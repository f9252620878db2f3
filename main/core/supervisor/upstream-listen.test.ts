/**
 * MCP Orch's own `subscriptions/listen` to a 2026-only server, through a real router onto a
 * recording channel: what goes on the wire when sessions subscribe (one new listen per turn, then
 * the old one cancelled under its wire id), the bound on the URIs carried, and the answers given
 * when the server offers no subscriptions or is not spoken to in 2026-07-28 only.
 */
import { describe, expect, it } from 'vitest';
import { isRequest, type RpcMessage, type RpcRequest } from '../protocol/jsonrpc.js';
import type { ChannelCloseInfo, MessageChannel } from './channel.js';
import { ResourceSubscriptions } from './resource-subscriptions.js';
import { MAX_CARRIED_URIS, UpstreamListen } from './upstream-listen.js';
import { modernEnvelope } from './upstream-modern.js';
import type { UpstreamPeer } from './upstream-peer.js';
import { UpstreamRouter } from './upstream-router.js';

class RecordingChannel implements MessageChannel {
  onmessage?: (message: RpcMessage) => void;
  onclose?: (info: ChannelCloseInfo) => void;
  readonly sent: RpcMessage[] = [];
  start(): Promise<void> {
    return Promise.resolve();
  }
  send(message: RpcMessage): number {
    this.sent.push(structuredClone(message));
    return 0;
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  listens(): RpcRequest[] {
    return this.sent.filter((message): message is RpcRequest => isRequest(message) && message.method === 'subscriptions/listen');
  }
  cancelled(): unknown[] {
    return this.sent.flatMap((message) =>
      'method' in message && message.method === 'notifications/cancelled' ? [message.params?.requestId] : [],
    );
  }
}

const peer = (): UpstreamPeer => ({
  clientCapabilities: {},
  deliverNotification: () => undefined,
  askClient: () => Promise.resolve({ result: {} }),
});

const subscribe = (uri: string, id = 1): RpcRequest => ({ jsonrpc: '2.0', id, method: 'resources/subscribe', params: { uri } });
const unsubscribe = (uri: string, id = 1): RpcRequest => ({ jsonrpc: '2.0', id, method: 'resources/unsubscribe', params: { uri } });

/** A listen attached to a real router speaking 2026-07-28 to a recording channel. */
function setUp(capabilities: Record<string, unknown> = { resources: { subscribe: true }, tools: { listChanged: true } }) {
  const channel = new RecordingChannel();
  const subscriptions = new ResourceSubscriptions();
  const log: string[] = [];
  const router = new UpstreamRouter(channel, {
    name: 'watched',
    peers: new Set(),
    subscribersOf: (uri) => subscriptions.of(uri),
    onNotification: () => undefined,
    log: (line) => log.push(line),
  });
  router.speakModern(modernEnvelope('1.0.0'), { besides2025: false });
  const listen = new UpstreamListen(subscriptions, { name: () => 'watched', log: (line) => log.push(line) });
  listen.attach(router, capabilities);
  return { channel, subscriptions, listen, router, log };
}

describe('UpstreamListen', () => {
  it('opens the listen at once with the list changes offered, under an id of its own', () => {
    const { channel, listen } = setUp();
    const [first] = channel.listens();
    expect(first?.params).toMatchObject({ notifications: { toolsListChanged: true } });
    expect(first?.params?.notifications).not.toHaveProperty('resourceSubscriptions');
    expect(listen.carrying).toEqual([]);
  });

  it('makes one new listen of the subscribes of one turn, sends it before their answers, then cancels the old one', async () => {
    const { channel, listen, subscriptions } = setUp();
    const [one, two] = [peer(), peer()];
    const answers = Promise.all([
      listen.answer(subscribe('note://b', 1), one),
      listen.answer(subscribe('note://a', 2), one),
      listen.answer(subscribe('note://a', 3), two),
    ]);
    expect(channel.listens()).toHaveLength(1);
    expect(await answers).toEqual([1, 2, 3].map((id) => ({ jsonrpc: '2.0', id, result: {} })));
    const [first, second] = channel.listens();
    expect(channel.listens()).toHaveLength(2);
    expect(second?.params?.notifications).toEqual({ toolsListChanged: true, resourceSubscriptions: ['note://a', 'note://b'] });
    expect(second?.params?._meta).toMatchObject({ 'io.modelcontextprotocol/protocolVersion': '2026-07-28' });
    // The cancellation names the old listen by the id the server saw, and follows the new listen.
    expect(channel.cancelled()).toEqual([first!.id]);
    const cancelAt = channel.sent.findIndex((message) => 'method' in message && message.method === 'notifications/cancelled');
    expect(cancelAt).toBeGreaterThan(channel.sent.findIndex((message) => isRequest(message) && message.id === second!.id));
    expect([...subscriptions.of('note://a')]).toEqual([one, two]);

    // A URI another session still holds stays; the last one out takes it off.
    await listen.answer(unsubscribe('note://a'), one);
    expect(channel.listens()).toHaveLength(2);
    await listen.answer(unsubscribe('note://a'), two);
    expect(channel.listens().at(-1)?.params?.notifications).toEqual({ toolsListChanged: true, resourceSubscriptions: ['note://b'] });
    expect(channel.cancelled()).toEqual([first!.id, second!.id]);

    // A session that ends: its URIs go, in one new listen.
    subscriptions.forget(one);
    await new Promise((resolve) => setImmediate(resolve));
    expect(listen.carrying).toEqual([]);
    expect(channel.listens()).toHaveLength(4);
  });

  it(`carries at most ${MAX_CARRIED_URIS} URIs: a subscribe past them is refused with the reason`, async () => {
    const { channel, listen } = setUp();
    const one = peer();
    const uris = Array.from({ length: MAX_CARRIED_URIS }, (_, n) => `note://${n}`);
    await Promise.all(uris.map((uri) => listen.answer(subscribe(uri), one)!));
    expect(channel.listens()).toHaveLength(2);
    expect(listen.carrying).toHaveLength(MAX_CARRIED_URIS);

    const refused = await listen.answer(subscribe('note://one-more', 9), one);
    expect(refused && 'error' in refused ? [refused.id, refused.error.code, refused.error.message] : refused).toEqual([
      9,
      -32603,
      'server "watched": MCP Orch carries at most 1000 resource subscriptions to it; unsubscribe from another resource first',
    ]);
    // One already carried is no new URI; one freed makes room.
    expect(await listen.answer(subscribe('note://7', 10), peer())).toEqual({ jsonrpc: '2.0', id: 10, result: {} });
    await listen.answer(unsubscribe('note://0'), one);
    expect(await listen.answer(subscribe('note://one-more', 11), one)).toEqual({ jsonrpc: '2.0', id: 11, result: {} });
    expect(listen.carrying).toContain('note://one-more');
  });

  it('answers the subscribes of a server without resources.subscribe with the reason, and carries nothing', async () => {
    const { channel, listen } = setUp({ tools: { listChanged: true } });
    const refused = await listen.answer(subscribe('note://a'), peer());
    expect(refused && 'error' in refused ? refused.error : refused).toEqual({
      code: -32601,
      message:
        'server "watched" does not offer resource subscriptions (it speaks MCP 2026-07-28 and its capabilities lack resources.subscribe)',
    });
    expect(channel.listens()).toHaveLength(1);
  });

  it('leaves every request to the router for a server not spoken to in 2026-07-28 only', () => {
    const { listen } = setUp();
    listen.attach(undefined, { resources: { subscribe: true } });
    expect(listen.answer(subscribe('note://a'), peer())).toBeUndefined();
    expect(listen.carrying).toBeUndefined();
  });
});
