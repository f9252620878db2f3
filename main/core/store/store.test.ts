import { describe, expect, it } from 'vitest';
import { useTempStores } from './__fixtures__/temp-store.js';
import { DEFAULT_RETENTION, retentionFromConfig } from './store.js';

const temp = useTempStores();
const DAY = 86_400_000;

describe('Store', () => {
  it('prunes calls and server events on open, by age and by count', () => {
    const now = Date.now();
    const first = temp.open();
    for (let i = 0; i < 20; i++) {
      first.calls.record({
        time: now - i * DAY,
        sessionId: 's',
        server: 'a',
        method: 'tools/call',
        tool: 't',
        durationMs: 1,
        ok: true,
        bytesIn: 0,
        bytesOut: 0,
      });
      first.serverEvents.record({ time: now - i * DAY, server: 'a', kind: 'start' });
    }
    first.close();

    const second = temp.open(undefined, { retention: { maxAgeMs: 10.5 * DAY, maxCalls: 5, maxServerEvents: 1_000 } });
    expect(second.calls.list({ limit: 1000 }).items).toHaveLength(5);
    expect(second.serverEvents.list({ limit: 1000 })).toHaveLength(11);
    expect(second.prune({ maxAgeMs: DAY * 100, maxCalls: 1, maxServerEvents: 2 }, now)).toEqual({ calls: 4, serverEvents: 9, audit: 0 });
    expect(second.setRetention({ maxAgeMs: 0.5 * DAY, maxCalls: 10 })).toEqual({ calls: 0, serverEvents: 1, audit: 0 });
  });

  it('records and lists server events, newest first, per server', () => {
    const store = temp.open();
    store.serverEvents.record({ time: 1, server: 'a', kind: 'start', pid: 42 });
    store.serverEvents.record({ time: 2, server: 'a', kind: 'crash', pid: 42, exitCode: 1, signal: 'SIGSEGV', message: 'boom' });
    store.serverEvents.record({ time: 3, server: 'b', kind: 'stop' });
    expect(store.serverEvents.list().map((e) => e.kind)).toEqual(['stop', 'crash', 'start']);
    expect(store.serverEvents.list({ server: 'a', limit: 1 })).toEqual([
      { id: 2, time: 2, server: 'a', kind: 'crash', pid: 42, exitCode: 1, signal: 'SIGSEGV', message: 'boom' },
    ]);
  });

  it('records child pids with their owner and forgets them', () => {
    const store = temp.open();
    store.pids.add({ pid: 1234, server: 'a', startedAt: 5, processStartTime: 'boot:99', command: 'node server.js' });
    store.pids.add({ pid: 5678, server: 'b', startedAt: 6, command: 'uvx thing', ownerPid: 1 });
    expect(store.pids.all()).toEqual([
      { pid: 1234, server: 'a', startedAt: 5, processStartTime: 'boot:99', command: 'node server.js', ownerPid: process.pid },
      { pid: 5678, server: 'b', startedAt: 6, command: 'uvx thing', ownerPid: 1 },
    ]);
    expect(store.pids.remove(1234)).toBe(true);
    expect(store.pids.remove(1234)).toBe(false);
    store.pids.clear();
    expect(store.pids.all()).toEqual([]);
  });

  it('close is idempotent and leaves the file consistent', () => {
    const store = temp.open();
    store.close();
    expect(() => store.close()).not.toThrow();
    const reopened = temp.open();
    expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('converts the config retention', () => {
    expect(retentionFromConfig({ days: 30, maxCalls: 100_000 })).toEqual(DEFAULT_RETENTION);
  });
});
