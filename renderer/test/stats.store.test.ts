/**
 * The stats store against a real daemon: the hour of calls it loads, a refused load shown without
 * losing the figures, a finished call counted in the moment its event arrives (into its minute and
 * server, without asking the daemon), and the figures read again after the stream dropped and came back.
 */
import { describe, expect, it } from 'vitest';
import { BUCKET_MS } from '../src/stores/stats.store';
import { openPage, settle, sharedPage, type Page } from './daemon';

const shared = sharedPage();

const stats = () => shared.page.stores.stats.getState();
const seriesAsked = (on: Page) => on.line.requests.filter((path) => path.startsWith('/api/metrics/series')).length;

/** Makes one call through another client and waits until the daemon has recorded it. */
async function callRecorded(): Promise<void> {
  const before = (await shared.daemon.other.calls.list({ limit: 1 })).items[0]?.id ?? 0;
  await shared.daemon.other.tools.call({ server: 'example', tool: 'add', arguments: { a: 1, b: 2 } });
  await settle(async () => expect((await shared.daemon.other.calls.list({ limit: 1 })).items[0]?.id).toBeGreaterThan(before));
}

/**
 * Runs `work` on a live page of its own, its figures loaded (`counted`: the calls they count), and
 * closes it: no earlier event has started its (5 s) refresh timer, which would read them anyway.
 */
async function onOwnPage(work: (fresh: Page, counted: number) => Promise<void>): Promise<void> {
  const fresh = await openPage(shared.daemon);
  try {
    await fresh.stores.stats.getState().load();
    await work(fresh, fresh.stores.stats.getState().series!.totals.count);
  } finally {
    fresh.close();
  }
}

describe('the stats store', () => {
  it('starts idle, is loading while asked, then holds the last hour per minute with totals', async () => {
    const fresh = await openPage(shared.daemon, { live: false });
    const store = fresh.stores.stats;
    expect(store.getState().status).toBe('idle');
    expect(store.getState().series).toBeUndefined();
    const loading = store.getState().load();
    expect(store.getState().status).toBe('loading');
    await loading;
    const series = store.getState().series!;
    expect(store.getState().status).toBe('ready');
    expect(series.bucketMs).toBe(BUCKET_MS);
    expect(series.since % BUCKET_MS).toBe(0);
    expect(series.until - series.since).toBeGreaterThan(59 * BUCKET_MS);
    expect(series.totals).toMatchObject({ count: 0, errors: 0 });
  });

  it('shows a refused load as an error and keeps the figures it had', async () => {
    await callRecorded();
    await stats().load();
    const had = stats().series;
    expect(had?.totals.count).toBeGreaterThan(0);
    await shared.page.whileRefused(() => stats().load());
    expect(stats()).toMatchObject({ status: 'error', error: expect.stringMatching(/token/i) as unknown });
    expect(stats().series).toBe(had);
    await stats().load();
    expect(stats()).toMatchObject({ status: 'ready', error: undefined });
  });

  it('counts a call in the moment its event arrives, without asking the daemon', async () => {
    await onOwnPage(async (fresh, counted) => {
      const store = fresh.stores.stats;
      const asked = seriesAsked(fresh);
      await shared.daemon.other.tools.call({ server: 'example', tool: 'echo', arguments: { text: 'hi' } });
      await settle(() => expect(store.getState().series!.totals.count).toBe(counted + 1));
      expect(seriesAsked(fresh)).toBe(asked);
      expect(store.getState().series!.points.some((point) => point.server === 'example' && point.count >= 1)).toBe(true);
    });
  });

  it('merges a call into its minute’s point, or starts a point for a new server, with the totals', async () => {
    await stats().load();
    const series = stats().series!;
    const time = series.until - 1;
    const call = {
      server: 'example',
      method: 'tools/call',
      tool: 'add',
      time,
      durationMs: 1000,
      ok: false,
      sessionId: 's',
      bytesIn: 1,
      bytesOut: 1,
    };
    const minute = series.since + Math.floor((time - series.since) / BUCKET_MS) * BUCKET_MS;
    const before = series.points.find((point) => point.time === minute && point.server === 'example');
    stats().applyCall({ type: 'call', time, call });
    const point = stats().series!.points.find((candidate) => candidate.time === minute && candidate.server === 'example')!;
    expect(point.count).toBe((before?.count ?? 0) + 1);
    expect(point.errors).toBe((before?.errors ?? 0) + 1);
    expect(point.p95Ms).toBe(1000);
    expect(stats().series!.totals).toMatchObject({ count: series.totals.count + 1, errors: series.totals.errors + 1 });

    stats().applyCall({ type: 'call', time, call: { ...call, server: 'other', ok: true, durationMs: 4 } });
    expect(stats().series!.points.find((candidate) => candidate.server === 'other')).toMatchObject({
      time: minute,
      count: 1,
      errors: 0,
      meanMs: 4,
    });
  });

  it('reads the figures again when the stream comes back after a drop, so a call it missed counts', async () => {
    await onOwnPage(async (fresh, counted) => {
      const store = fresh.stores.stats;
      await fresh.whileDropped(async () => {
        await callRecorded();
        expect(store.getState().series!.totals.count).toBe(counted);
      });
      await settle(() => expect(store.getState().series!.totals.count).toBe(counted + 1));
    });
  });
});
