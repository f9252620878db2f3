import { describe, expect, it } from 'vitest';
import { useTempStores } from './__fixtures__/temp-store.js';
import { callSeries } from './call-series.js';

const stores = useTempStores();
const MINUTE = 60_000;
const T0 = 1_767_225_600_000; // a whole minute

function call(server: string, time: number, durationMs: number, ok = true) {
  return { time, sessionId: 's', server, method: 'tools/call', tool: 't', durationMs, ok, bytesIn: 1, bytesOut: 1 };
}

describe('calls over time', () => {
  it('buckets calls per server and minute, with errors, mean, p95 and totals', () => {
    const store = stores.open();
    for (let i = 0; i < 20; i++) store.calls.record(call('a', T0 + i * 1000, i + 1));
    store.calls.record(call('b', T0 + 30_000, 50, false));
    store.calls.record(call('a', T0 + MINUTE + 5, 7));
    store.calls.record(call('a', T0 + 3 * MINUTE, 9)); // outside [since, until)
    store.calls.flush();
    const { points, totals } = callSeries(store.db, { since: T0, until: T0 + 2 * MINUTE, bucketMs: MINUTE });
    expect(points).toEqual([
      { time: T0, server: 'a', count: 20, errors: 0, meanMs: 10.5, p95Ms: 19 },
      { time: T0, server: 'b', count: 1, errors: 1, meanMs: 50, p95Ms: 50 },
      { time: T0 + MINUTE, server: 'a', count: 1, errors: 0, meanMs: 7, p95Ms: 7 },
    ]);
    expect(totals).toMatchObject({ count: 22, errors: 1 });
    expect(totals.p50Ms).toBe(10);
  });

  it('starts buckets at `since`, whatever the clock', () => {
    const store = stores.open();
    store.calls.record(call('a', T0 + 25_000, 1));
    store.calls.flush();
    const since = T0 + 20_000;
    expect(callSeries(store.db, { since, until: since + MINUTE, bucketMs: 10_000, server: 'a' }).points.map((point) => point.time)).toEqual(
      [since],
    );
  });
});
