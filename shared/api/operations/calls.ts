/** `/api/calls` and `/api/stats`: the proxied call log and its totals (docs/specification.md §8, §9). */
import { z } from 'zod';
import { defineOperation } from '../contract.js';
import { durationMs, pageCursor, pageLimit, pageOf, serverName, timestamp } from './common.js';

/** One proxied request, as recorded (`CallEntry` of the store). */
export const callEntrySchema = z.object({
  /** When the call started. */
  time: timestamp,
  sessionId: z.string(),
  /** The client's name from `initialize`, when known. */
  client: z.string().optional(),
  /** The name of the key the call was made with, when known. */
  keyName: z.string().optional(),
  server: serverName,
  /** The tool of a `tools/call`; absent for other requests. */
  tool: z.string().optional(),
  /** The JSON-RPC method: `tools/call`, `resources/read`, … */
  method: z.string(),
  durationMs,
  ok: z.boolean(),
  error: z.string().optional(),
  bytesIn: z.number().int().nonnegative(),
  bytesOut: z.number().int().nonnegative(),
});

export const callRecordSchema = callEntrySchema.extend({ id: z.number().int().positive() });

const totals = {
  count: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  /** Mean duration over every call of the set. */
  meanMs: durationMs,
  /** 95th-percentile duration over the newest `p95Window` calls; 0 without samples. */
  p95Ms: durationMs,
};

/** `CallsRepository.stats`: totals overall, per server and per (server, method, tool). */
export const callStatsSchema = z.object({
  total: z.object(totals),
  servers: z.array(z.object({ server: serverName, ...totals })),
  tools: z.array(z.object({ server: serverName, method: z.string(), tool: z.string().optional(), ...totals })),
});

/** The planner's figures: the plan cache's counters, and the planned runs with the tokens their planning used. */
export const plannerStatsSchema = z.object({
  /** Lookups of the plan cache that found a plan, since the database was made (every key's). */
  cacheHits: z.number().int().nonnegative(),
  /** Lookups that found none. */
  cacheMisses: z.number().int().nonnegative(),
  /** Plans the cache holds now. */
  cachedPlans: z.number().int().nonnegative(),
  /** Planned runs the caller may see (started in the time range). */
  runs: z.number().int().nonnegative(),
  /** The model's tokens their planning used, as the providers reported them. */
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
});

/** What `stats.get` answers: the call totals and the planner's figures. */
export const statsSchema = callStatsSchema.extend({ planner: plannerStatsSchema });

const timeRange = {
  since: timestamp.optional().describe('inclusive lower bound on the call time'),
  until: timestamp.optional().describe('exclusive upper bound on the call time'),
};

export const callOperations = {
  list: defineOperation({
    id: 'calls.list',
    method: 'GET',
    path: '/api/calls',
    summary: 'Proxied calls, newest first, with filters',
    role: 'viewer',
    mutating: false,
    input: z.object({
      server: serverName.optional(),
      tool: z.string().min(1).optional(),
      ok: z.boolean().optional().describe('only successful (true) or failed (false) calls'),
      ...timeRange,
      limit: pageLimit(100),
      before: pageCursor,
    }),
    output: pageOf(callRecordSchema),
    errors: [],
  }),
  stats: defineOperation({
    id: 'stats.get',
    method: 'GET',
    path: '/api/stats',
    summary:
      "Call totals: count, errors, mean and p95 duration, overall, per server and per tool; the plan cache's hits and misses and the planner's tokens",
    role: 'viewer',
    mutating: false,
    input: z.object({
      ...timeRange,
      p95Window: z.number().int().min(1).max(100_000).optional().describe('newest calls p95 is computed over; default 10,000'),
    }),
    output: statsSchema,
    errors: [],
  }),
} as const;
