/**
 * Calls over the last hour, per minute and server, with totals. A finished call (the `call` event)
 * is counted in at once; percentiles cannot be updated one call at a time, so a burst of calls
 * asks for the figures again — at most once per `refreshMs`, and only when calls happened.
 */
import { createStore } from 'zustand/vanilla';
import type { OrchClient } from '@shared/api/client';
import type { Reporter } from './report';
import type { EventOf, LoadStatus, Series } from './types';

export const WINDOW_MS = 60 * 60_000;
export const BUCKET_MS = 60_000;

export interface StatsState {
  status: LoadStatus;
  error?: string;
  series?: Series;
  load(): Promise<void>;
  applyCall(event: EventOf<'call'>): void;
}

export function createStatsStore(client: OrchClient, report: Reporter, options: { refreshMs?: number; now?: () => number } = {}) {
  const refreshMs = options.refreshMs ?? 5_000;
  const now = options.now ?? Date.now;
  let refresh: ReturnType<typeof setTimeout> | undefined;

  return createStore<StatsState>()((set, get) => ({
    status: 'idle',
    async load() {
      if (get().status !== 'ready') set({ status: 'loading' });
      const until = now();
      const since = Math.floor((until - WINDOW_MS) / BUCKET_MS) * BUCKET_MS;
      try {
        const series = await client.metrics.series({ since, until: until + 1, bucketMs: BUCKET_MS });
        set({ status: 'ready', error: undefined, series });
      } catch (error) {
        set({ status: 'error', error: report(error) });
      }
    },
    applyCall({ call }) {
      const series = get().series;
      if (!series) return;
      const time = series.since + Math.floor((call.time - series.since) / series.bucketMs) * series.bucketMs;
      const points = [...series.points];
      const index = points.findIndex((point) => point.time === time && point.server === call.server);
      const failed = call.ok ? 0 : 1;
      if (index === -1) {
        points.push({ time, server: call.server, count: 1, errors: failed, meanMs: call.durationMs, p95Ms: call.durationMs });
      } else {
        const point = points[index]!;
        const count = point.count + 1;
        points[index] = {
          ...point,
          count,
          errors: point.errors + failed,
          meanMs: (point.meanMs * point.count + call.durationMs) / count,
          p95Ms: Math.max(point.p95Ms, call.durationMs),
        };
      }
      const totals = series.totals;
      const count = totals.count + 1;
      set({
        series: {
          ...series,
          until: Math.max(series.until, call.time + 1),
          points,
          totals: { ...totals, count, errors: totals.errors + failed, meanMs: (totals.meanMs * totals.count + call.durationMs) / count },
        },
      });
      refresh ??= setTimeout(() => {
        refresh = undefined;
        void get().load();
      }, refreshMs);
    },
  }));
}

export type StatsStore = ReturnType<typeof createStatsStore>;
