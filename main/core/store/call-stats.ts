/** Folds call-log aggregates and duration samples into the totals the dashboard shows (docs/specification.md §9). */

/** Count, errors and durations of a set of calls. */
export interface GroupTotals {
  count: number;
  errors: number;
  /** Mean duration over every call of the set. */
  meanMs: number;
}

/** Totals with the 95th-percentile duration (nearest rank over the sampled window; 0 without samples). */
export interface CallTotals extends GroupTotals {
  p95Ms: number;
}

/** Totals of one server. */
export interface ServerCallStats extends CallTotals {
  server: string;
}

/** Totals of one (server, method, tool) triple; `tool` is absent for requests other than `tools/call`. */
export interface ToolCallStats extends CallTotals {
  server: string;
  method: string;
  tool?: string | undefined;
}

/** The result of `CallsRepository.stats`. */
export interface CallStats {
  total: CallTotals;
  servers: ServerCallStats[];
  tools: ToolCallStats[];
}

/** One duration of the p95 window. */
export interface DurationSample {
  server: string;
  tool: string | null;
  method: string;
  durationMs: number;
}

/** One row of the per-(server, method, tool) SQL aggregate. */
export type CallGroupRow = GroupTotals & { server: string; tool: string | null; method: string };

/** Combines per-group SQL aggregates with the duration samples into overall, per-server and per-tool totals. */
export function computeCallStats(groups: readonly CallGroupRow[], samples: readonly DurationSample[]): CallStats {
  const all: number[] = [];
  const byServer = new Map<string, number[]>();
  const byTool = new Map<string, number[]>();
  for (const sample of samples) {
    all.push(sample.durationMs);
    push(byServer, sample.server, sample.durationMs);
    push(byTool, toolKey(sample), sample.durationMs);
  }

  const servers = new Map<string, GroupTotals>();
  const tools: ToolCallStats[] = [];
  for (const group of groups) {
    const totals = { count: group.count, errors: group.errors, meanMs: group.meanMs };
    servers.set(group.server, merge(servers.get(group.server), totals));
    const tool: ToolCallStats = { server: group.server, method: group.method, ...totals, p95Ms: p95(byTool.get(toolKey(group))) };
    if (group.tool !== null) tool.tool = group.tool;
    tools.push(tool);
  }

  let total: GroupTotals = { count: 0, errors: 0, meanMs: 0 };
  for (const totals of servers.values()) total = merge(total, totals);
  return {
    total: { ...total, p95Ms: p95(all) },
    servers: [...servers].map(([server, totals]) => ({ server, ...totals, p95Ms: p95(byServer.get(server)) })),
    tools,
  };
}

function merge(a: GroupTotals | undefined, b: GroupTotals): GroupTotals {
  if (!a || a.count === 0) return { ...b };
  const count = a.count + b.count;
  return { count, errors: a.errors + b.errors, meanMs: (a.meanMs * a.count + b.meanMs * b.count) / count };
}

/** Nearest-rank 95th percentile. */
function p95(values: number[] | undefined): number {
  if (!values || values.length === 0) return 0;
  values.sort((x, y) => x - y);
  return values[Math.ceil(0.95 * values.length) - 1] ?? 0;
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function toolKey(row: { server: string; method: string; tool: string | null }): string {
  return `${row.server}\u0000${row.method}\u0000${row.tool ?? '\u0001'}`;
}
