import { describe, expect, it } from 'vitest';
import type { OrchEvent } from '../../shared/api/events.js';
import { localPrincipal } from '../core/shell-surface.js';
import { FakeIpcMain, FakeSender } from './__fixtures__/fake-ipc.js';
import { MemoryDispatcher } from './__fixtures__/memory-dispatcher.js';
import { registerBridgeHandlers } from './bridge.ipc.js';
import { IPC_CHANNELS } from '../../shared/api/ipc-channels.js';
import { isTrustedSender } from './window-policy.js';

const APP_PAGE = 'app://orch/index.html';

const stateEvent = (name: string): OrchEvent => ({
  type: 'server.state',
  time: 1,
  status: { name, state: 'running', restarts: 0 },
  previous: 'starting',
});

/** The bridge over a memory dispatcher; `core` settles when the test says (at once by default). */
async function setup(core?: Promise<MemoryDispatcher | undefined>) {
  const ipc = new FakeIpcMain();
  let aborted: AbortSignal | undefined;
  const dispatcher = new MemoryDispatcher({
    'servers.list': () => ({ servers: [] }),
    'mode.set': (input) => ({ mode: input.mode }),
    'tools.call': (_input, signal) => {
      aborted = signal;
      return new Promise(() => undefined);
    },
  });
  const refused: (string | undefined)[] = [];
  const dispose = registerBridgeHandlers({
    ipcMain: ipc,
    core: core ?? Promise.resolve(dispatcher),
    principal: localPrincipal('desktop'),
    isTrustedSender,
    onRefused: (_channel, url) => refused.push(url),
  });
  if (!core) await settled();
  return { ipc, dispatcher, dispose, refused, signal: () => aborted };
}

/** Lets the promises settle that are already on their way. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((yes, no) => ((resolve = yes), (reject = no)));
  return { promise, resolve, reject };
}

/** What `sender` was sent on `channel`, in order. */
const sentOn = (sender: FakeSender, channel: string) => sender.sent.filter((sent) => sent.channel === channel).map((sent) => sent.args[0]);

describe('the bridge handlers', () => {
  it('runs an operation for the app page as the local admin and answers its Result', async () => {
    const { ipc, dispatcher } = await setup();
    const page = new FakeSender(APP_PAGE);
    expect(await ipc.invoke(page, IPC_CHANNELS.invoke, 'mode.set', { mode: 'batch' })).toEqual({ ok: true, value: { mode: 'batch' } });
    expect(dispatcher.calls[0]).toMatchObject({ id: 'mode.set', principal: { name: '(desktop)', role: 'admin', kind: 'local' } });
  });

  it('answers bad input and unknown operations as failed Results, never a rejection', async () => {
    const { ipc } = await setup();
    const page = new FakeSender(APP_PAGE);
    expect(await ipc.invoke(page, IPC_CHANNELS.invoke, 'mode.set', { mode: 'turbo' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await ipc.invoke(page, IPC_CHANNELS.invoke, 'shell.exec', {})).toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'unknown operation "shell.exec"' },
    });
    expect(await ipc.invoke(page, IPC_CHANNELS.invoke, 42, {})).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('refuses a sender that is not the app page: another origin or an iframe', async () => {
    const { ipc, dispatcher, refused } = await setup();
    for (const sender of [new FakeSender('https://evil.example/'), new FakeSender(APP_PAGE, true)]) {
      expect(await ipc.invoke(sender, IPC_CHANNELS.invoke, 'servers.list', {})).toEqual({
        ok: false,
        error: { code: 'forbidden', message: 'this frame may not use the MCP Orch bridge' },
      });
      ipc.send(sender, IPC_CHANNELS.subscribe);
    }
    expect(dispatcher.calls).toEqual([]);
    expect(dispatcher.subscriberCount).toBe(0);
    expect(refused).toEqual(['https://evil.example/', 'https://evil.example/', APP_PAGE, APP_PAGE]);
  });

  it('delivers events to a subscribed page until it unsubscribes, once however often it asks', async () => {
    const { ipc, dispatcher } = await setup();
    const page = new FakeSender(APP_PAGE);
    ipc.send(page, IPC_CHANNELS.subscribe);
    ipc.send(page, IPC_CHANNELS.subscribe);
    expect(dispatcher.subscriberCount).toBe(1);
    dispatcher.emit(stateEvent('github'));
    expect(sentOn(page, IPC_CHANNELS.event)).toEqual([stateEvent('github')]);
    expect(sentOn(page, IPC_CHANNELS.status)).toEqual(['open']);
    ipc.send(page, IPC_CHANNELS.unsubscribe);
    dispatcher.emit(stateEvent('memory'));
    expect(sentOn(page, IPC_CHANNELS.event)).toHaveLength(1);
    expect(dispatcher.subscriberCount).toBe(0);
  });

  it("ends a closed window's subscription and aborts its pending calls", async () => {
    const { ipc, dispatcher, signal } = await setup();
    const page = new FakeSender(APP_PAGE);
    ipc.send(page, IPC_CHANNELS.subscribe);
    void ipc.invoke(page, IPC_CHANNELS.invoke, 'tools.call', { server: 'a', tool: 'b', arguments: {} });
    await Promise.resolve();
    expect(signal()?.aborted).toBe(false);
    page.destroy();
    expect(signal()?.aborted).toBe(true);
    expect(dispatcher.subscriberCount).toBe(0);
    expect(() => dispatcher.emit(stateEvent('github'))).not.toThrow();
  });

  it('removes every handler and subscription when disposed, and tells the page', async () => {
    const { ipc, dispatcher, dispose } = await setup();
    const page = new FakeSender(APP_PAGE);
    ipc.send(page, IPC_CHANNELS.subscribe);
    dispose();
    expect(sentOn(page, IPC_CHANNELS.status)).toEqual(['open', 'closed']);
    expect(ipc.handlers.size).toBe(0);
    expect(ipc.listenerCount(IPC_CHANNELS.subscribe)).toBe(0);
    expect(dispatcher.subscriberCount).toBe(0);
  });

  it('serves the page while the core starts: its calls wait, its subscription says starting, then open', async () => {
    const core = deferred<MemoryDispatcher | undefined>();
    const { ipc } = await setup(core.promise);
    const page = new FakeSender(APP_PAGE);
    let answer: unknown;
    void ipc.invoke(page, IPC_CHANNELS.invoke, 'servers.list', {}).then((result) => (answer = result));
    ipc.send(page, IPC_CHANNELS.subscribe);
    await settled();
    expect(answer).toBeUndefined();
    expect(sentOn(page, IPC_CHANNELS.status)).toEqual(['starting']);

    const dispatcher = new MemoryDispatcher({ 'servers.list': () => ({ servers: ['ready'] }) });
    core.resolve(dispatcher);
    await settled();
    expect(answer).toEqual({ ok: true, value: { servers: ['ready'] } });
    expect(sentOn(page, IPC_CHANNELS.status)).toEqual(['starting', 'open']);
    dispatcher.emit(stateEvent('github'));
    expect(sentOn(page, IPC_CHANNELS.event)).toEqual([stateEvent('github')]);
  });

  it("answers every call with the core's absence and closes subscriptions when the core did not start", async () => {
    const core = deferred<MemoryDispatcher | undefined>();
    const { ipc } = await setup(core.promise);
    const page = new FakeSender(APP_PAGE);
    ipc.send(page, IPC_CHANNELS.subscribe);
    const early = ipc.invoke(page, IPC_CHANNELS.invoke, 'servers.list', {});
    core.reject(new Error('port in use'));
    const failed = { ok: false, error: { code: 'server_unavailable', message: "MCP Orch's core is not running: the tray menu says why" } };
    expect(await early).toEqual(failed);
    expect(await ipc.invoke(page, IPC_CHANNELS.invoke, 'servers.list', {})).toEqual(failed);
    expect(sentOn(page, IPC_CHANNELS.status)).toEqual(['starting', 'closed']);
  });

  it('forgets a subscription ended before the core ran', async () => {
    const core = deferred<MemoryDispatcher | undefined>();
    const { ipc } = await setup(core.promise);
    const page = new FakeSender(APP_PAGE);
    ipc.send(page, IPC_CHANNELS.subscribe);
    ipc.send(page, IPC_CHANNELS.unsubscribe);
    const dispatcher = new MemoryDispatcher({});
    core.resolve(dispatcher);
    await settled();
    expect(dispatcher.subscriberCount).toBe(0);
    expect(sentOn(page, IPC_CHANNELS.status)).toEqual(['starting']);
  });
});
