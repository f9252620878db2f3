/** `/api/metrics`: what the dashboard charts: child processes' CPU and memory, calls over time (docs/specification.md §9). */
import { z } from 'zod';
import { defineOperation } from '../contract.js';
import { durationMs, serverName, timestamp } from './common.js';

/** One server's child process tree, sampled. */
export const processSampleSchema = z.object({
  server: serverName,
  pid: z.number().int().positive(),
  /** CPU over the last sampling interval, in percent of one core (can exceed 100 on several cores). */
  cpuPercent: z.number().nonnegative(),
  /** Resident memory of the process and its descendants, in bytes. */
  memoryBytes: z.number().int().nonnegative(),
  /** Processes counted: the child and its descendants. */
  processes: z.number().int().positive(),
});

/** Calls of one server in one time bucket. */
export const seriesPointSchema = z.object({
  /** Start of the bucket. */
  time: timestamp,
  server: serverName,
  count: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  meanMs: durationMs,
  /** 95th percentile of the bucket's durations. */
  p95Ms: durationMs,
});

/** Most buckets one answer may hold (per server). */
export const MAX_BUCKETS = 1_440;

export const metricsOperations = {
  processes: defineOperation({
    id: 'metrics.processes',
    method: 'GET',
    path: '/api/metrics/processes',
    summary: 'CPU and memory of each running stdio server, its child processes included',
    description: 'Live updates arrive as `server.resources` events on /api/events.',
    role: 'viewer',
    mutating: false,
    input: z.object({}),
    output: z.object({ time: timestamp, samples: z.array(processSampleSchema) }),
    errors: [],
  }),
  series: defineOperation({
    id: 'metrics.series',
    method: 'GET',
    path: '/api/metrics/series',
    summary: 'Calls per server over time, in buckets: count, errors, mean and p95 duration',
    description: 'Buckets without calls are left out. At most 1,440 buckets: widen `bucketMs` for a longer range.',
    role: 'viewer',
    mutating: false,
    input: z.object({
      since: timestamp.describe('start of the first bucket'),
      until: timestamp.optional().describe('exclusive end; default now'),
      bucketMs: z.number().int().min(1_000).max(86_400_000).describe('bucket width, 1 s to 1 day'),
      server: serverName.optional(),
    }),
    output: z.object({
      bucketMs: z.number().int().positive(),
      since: timestamp,
      until: timestamp,
      points: z.array(seriesPointSchema),
      /** The whole range (of `server`, when given): count, errors, mean, p50 and p95. */
      totals: z.object({
        count: z.number().int().nonnegative(),
        errors: z.number().int().nonnegative(),
        meanMs: durationMs,
        p50Ms: durationMs,
        p95Ms: durationMs,
      }),
    }),
    errors: [],
  }),
} as const;
