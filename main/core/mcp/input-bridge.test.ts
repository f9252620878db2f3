import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputBridge, type WaitingCall } from './input-bridge.js';

const alice = { keyId: 'alice', scope: 'github' };

function waitingCall(target = 'create_issue'): WaitingCall & { expired: number } {
  return {
    method: 'tools/call',
    target,
    expired: 0,
    expire() {
      this.expired++;
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the input bridge', () => {
  it('gives a call back once, for its own retry, and forgets it', () => {
    const bridge = new InputBridge({ waitMs: 60_000, perKey: 4 });
    const call = waitingCall();
    const state = bridge.park(call, alice)!;
    expect(bridge.take(state, alice, 'tools/call', 'other_tool')).toMatchObject({ ok: false });
    expect(bridge.take(state, alice, 'tools/call', 'create_issue')).toEqual({ ok: true, call });
    const again = bridge.take(state, alice, 'tools/call', 'create_issue');
    expect(again.ok === false && again.message).toMatch(/names no call/);
    expect(bridge.size).toBe(0);
  });

  it('expires a call nobody came back for, once, and its state then finds nothing', () => {
    vi.useFakeTimers();
    const bridge = new InputBridge({ waitMs: 1_000, perKey: 4 });
    const call = waitingCall();
    const state = bridge.park(call, alice)!;
    vi.advanceTimersByTime(999);
    expect(call.expired).toBe(0);
    vi.advanceTimersByTime(2);
    expect(call.expired).toBe(1);
    expect(bridge.take(state, alice, 'tools/call', 'create_issue')).toMatchObject({ ok: false });
    vi.advanceTimersByTime(10_000);
    expect(call.expired).toBe(1);
  });

  it('lets one key keep only so many calls waiting, and counts a taken one as gone', () => {
    const bridge = new InputBridge({ waitMs: 60_000, perKey: 2 });
    const first = bridge.park(waitingCall(), alice)!;
    expect(bridge.park(waitingCall(), alice)).toBeDefined();
    expect(bridge.park(waitingCall(), alice)).toBeUndefined();
    expect(bridge.park(waitingCall(), { keyId: 'bob', scope: 'github' })).toBeDefined();
    bridge.take(first, alice, 'tools/call', 'create_issue');
    expect(bridge.park(waitingCall(), alice)).toBeDefined();
  });

  it('expires every waiting call when it is disposed', () => {
    const bridge = new InputBridge({ waitMs: 60_000, perKey: 4 });
    const calls = [waitingCall(), waitingCall()];
    for (const call of calls) bridge.park(call, alice);
    bridge.dispose();
    expect(calls.map((call) => call.expired)).toEqual([1, 1]);
  });
});
