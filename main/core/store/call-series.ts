/**
 * Calls over time, for the dashboard's charts: per server and time bucket, the count, the errors,
 * the mean and the p95 duration. Counts and means come from SQL over every row of the range; p95
 * from the newest `maxSamples` rows of it (a bucket past the sample gets its mean as p95).
 */
import type { Database } from 'better-sqlite3';

export interface SeriesQuery {
  since: number;
  until: number;
  bucketMs: number;
  server?: string | undefined;
  /** Rows read for the percentiles; default 50,000. */
  maxSamples?: number;
}

export interface SeriesPoint {
  time: number;
  server: string;
  count: number;
  errors: number;
  meanMs: number;
  p95Ms: number;
}

interface GroupRow {
  bucket: number;
  server: string;
  count: number;
  errors: number;
  meanMs: number;
}

interface SampleRow {
  bucket: number;
  server: string;
  durationMs: number;
}

export interface SeriesTotals {
  count: number;
  errors: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
}

export function callSeries(db: Database, query: SeriesQuery): { points: SeriesPoint[]; totals: SeriesTotals } {
  const { since, until, bucketMs } = query;
  const serverFilter = query.server === undefined ? '' : 'AND server = @server';
  const params = { since, until, bucketMs, server: query.server ?? null, limit: query.maxSamples ?? 50_000 };
  const groups = db
    .prepare<typeof params, GroupRow>(
      `SELECT @since + CAST((time - @since) / @bucketMs AS INTEGER) * @bucketMs AS bucket, server, COUNT(*) AS count, SUM(ok = 0) AS errors, AVG(duration_ms) AS meanMs
       FROM calls WHERE time >= @since AND time < @until ${serverFilter} GROUP BY bucket, server ORDER BY bucket, server`,
    )
    .all(params);
  const samples = db
    .prepare<typeof params, SampleRow>(
      `SELECT @since + CAST((time - @since) / @bucketMs AS INTEGER) * @bucketMs AS bucket, server, duration_ms AS durationMs
       FROM calls WHERE time >= @since AND time < @until ${serverFilter} ORDER BY time DESC, id DESC LIMIT @limit`,
    )
    .all(params);
  const durations = new Map<string, number[]>();
  for (const row of samples) {
    const key = `${row.bucket}\u0000${row.server}`;
    let list = durations.get(key);
    if (!list) durations.set(key, (list = []));
    list.push(row.durationMs);
  }
  const points = groups.map((group) => {
    const list = durations.get(`${group.bucket}\u0000${group.server}`);
    return {
      time: group.bucket,
      server: group.server,
      count: group.count,
      errors: group.errors,
      meanMs: round(group.meanMs),
      p95Ms: round(list ? percentile(list, 0.95) : group.meanMs),
    };
  });
  const count = groups.reduce((sum, group) => sum + group.count, 0);
  const all = samples.map((row) => row.durationMs);
  const totals: SeriesTotals = {
    count,
    errors: groups.reduce((sum, group) => sum + group.errors, 0),
    meanMs: count ? round(groups.reduce((sum, group) => sum + group.meanMs * group.count, 0) / count) : 0,
    p50Ms: all.length ? round(percentile(all, 0.5)) : 0,
    p95Ms: all.length ? round(percentile(all, 0.95)) : 0,
  };
  return { points, totals };
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
