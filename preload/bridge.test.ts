import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { BRIDGE_GLOBAL } from '../shared/api/bridge.js';
import type { OrchEvent } from '../shared/api/events.js';
import { IPC_CHANNELS } from '../shared/api/ipc-channels.js';
import { createBridge, exposeBridge, type IpcRendererLike } from './bridge.js';

class FakeIpcRenderer extends EventEmitter implements IpcRendererLike {
  readonly sent: string[] = [];
  answer: (channel: string, ...args: unknown[]) => Promise<unknown> = () => Promise.resolve({ ok: true, value: null });
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    return this.answer(channel, ...args);
  }
  send(channel: string): void {
    this.sent.push(channel);
  }
  /** The main process sends one event. */
  deliver(event: OrchEvent): void {
    this.emit(IPC_CHANNELS.event, {}, event);
  }
}

const event: OrchEvent = { type: 'tools.changed', time: 1, server: 'github', kinds: ['tools'] };

describe('the preload bridge', () => {
  it('exposes exactly invoke and subscribe as window.orch', () => {
    const exposed: Record<string, unknown> = {};
    exposeBridge({ exposeInMainWorld: (key, api) => (exposed[key] = api) }, new FakeIpcRenderer());
    expect(Object.keys(exposed)).toEqual([BRIDGE_GLOBAL]);
    const bridge = exposed[BRIDGE_GLOBAL] as Record<string, unknown>;
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'subscribe']);
    expect(Object.values(bridge).every((value) => typeof value === 'function')).toBe(true);
  });

  it('invokes over the invoke channel, and turns a broken channel into a failed Result', async () => {
    const ipc = new FakeIpcRenderer();
    const calls: unknown[][] = [];
    ipc.answer = (...args) => {
      calls.push(args);
      return Promise.resolve({ ok: true, value: { mode: 'batch' } });
    };
    const bridge = createBridge(ipc);
    expect(await bridge.invoke('mode.set', { mode: 'batch' })).toEqual({ ok: true, value: { mode: 'batch' } });
    expect(calls).toEqual([[IPC_CHANNELS.invoke, 'mode.set', { mode: 'batch' }]]);
    ipc.answer = () => Promise.reject(new Error('No handler registered'));
    expect(await bridge.invoke('servers.list', {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'the MCP Orch bridge failed: No handler registered' },
    });
  });

  it('subscribes once for many listeners, delivers to each, and unsubscribes with the last', () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    const seen: string[] = [];
    const first = bridge.subscribe(() => seen.push('first'));
    const second = bridge.subscribe(() => {
      throw new Error('a broken listener');
    });
    const third = bridge.subscribe(() => seen.push('third'));
    expect(ipc.sent).toEqual([IPC_CHANNELS.subscribe]);
    const logged = console.error;
    console.error = () => undefined;
    try {
      ipc.deliver(event);
    } finally {
      console.error = logged;
    }
    expect(seen).toEqual(['first', 'third']);
    first();
    first();
    second();
    expect(ipc.sent).toEqual([IPC_CHANNELS.subscribe]);
    third();
    expect(ipc.sent).toEqual([IPC_CHANNELS.subscribe, IPC_CHANNELS.unsubscribe]);
    expect(ipc.listenerCount(IPC_CHANNELS.event)).toBe(0);
    ipc.deliver(event);
    expect(seen).toEqual(['first', 'third']);
  });

  it("reports the main process's word on the subscription, never 'open' before it says so", () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    const first: string[] = [];
    const stop = bridge.subscribe(
      () => undefined,
      (status) => first.push(status),
    );
    expect(first).toEqual([]);
    ipc.emit(IPC_CHANNELS.status, {}, 'starting');
    ipc.emit(IPC_CHANNELS.status, {}, 'not-a-status');
    const second: string[] = [];
    bridge.subscribe(
      () => undefined,
      (status) => second.push(status),
    );
    ipc.emit(IPC_CHANNELS.status, {}, 'open');
    expect(first).toEqual(['starting', 'open']);
    expect(second).toEqual(['starting', 'open']);
    stop();
    expect(ipc.listenerCount(IPC_CHANNELS.status)).toBe(1);
  });
});
