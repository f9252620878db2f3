/**
 * Batch scheduler throughput: 10,000 trivial in-process tasks (each call resolves at once) through
 * `runPlan`, for a few plan shapes; and the cost of validating such a plan. Target (issue 5):
 * ≥ 20,000 tasks/s. Run: `node --import tsx bench/batch/scheduler.ts [tasks] [repeats]`.
 * Prints figures; asserts nothing.
 */
import { runPlan, type CallTool } from '../../main/core/batch/executor.js';
import type { ToolCatalog } from '../../main/core/batch/plan-graph.js';
import { validatePlan } from '../../main/core/batch/plan-validation.js';
import type { PlanLike, PlanTaskLike } from '../../main/core/batch/types.js';

const count = Number(process.argv[2] ?? 10_000);
const repeats = Number(process.argv[3] ?? 7);
const SERVERS = 8;

const catalog: ToolCatalog = (tool) => ({
  server: tool.split('__')[0]!,
  name: 'echo',
  annotations: { readOnlyHint: true },
  inputSchema: { type: 'object' },
});
const result = { content: [{ type: 'text', text: 'ok' }] };
const callTool: CallTool = () => Promise.resolve(result);

/** A deterministic pseudo-random sequence, so every run benches the same plans. */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

const shapes: Record<string, () => PlanTaskLike[]> = {
  independent: () => Array.from({ length: count }, (_, i) => ({ id: `t${i}`, tool: `s${i % SERVERS}__echo` })),
  'chain (references)': () =>
    Array.from({ length: count }, (_, i) => ({
      id: `t${i}`,
      tool: `s${i % SERVERS}__echo`,
      arguments: i ? { previous: `{{t${i - 1}.text}}` } : {},
    })),
  'random DAG (≤3 deps each)': () => {
    const next = random(42);
    return Array.from({ length: count }, (_, i) => {
      const dependsOn = i === 0 ? [] : [...new Set(Array.from({ length: Math.floor(next() * 4) }, () => `t${Math.floor(next() * i)}`))];
      return { id: `t${i}`, tool: `s${i % SERVERS}__echo`, dependsOn };
    });
  },
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const rate = (ms: number): string => `${Math.round((count / ms) * 1000).toLocaleString('en-US')} tasks/s`;

console.log(`batch scheduler, ${count.toLocaleString('en-US')} trivial tasks, median of ${repeats} (node ${process.version})`);
for (const [name, build] of Object.entries(shapes)) {
  const plan: PlanLike = { tasks: build(), maxConcurrency: 256 };
  const validations: number[] = [];
  const runs: number[] = [];
  for (let i = 0; i < repeats + 1; i++) {
    let started = performance.now();
    const validation = validatePlan(plan, catalog);
    const validated = performance.now() - started;
    if (!validation.ok) throw new Error(validation.problems[0]!.message);
    started = performance.now();
    const report = await runPlan(validation.graph, { callTool, perServerConcurrency: 64 });
    const ran = performance.now() - started;
    if (report.status !== 'succeeded') throw new Error(`run ${report.status}`);
    // The first round warms the JIT up.
    if (i > 0) {
      validations.push(validated);
      runs.push(ran);
    }
  }
  console.log(
    `${name.padEnd(28)} run ${median(runs).toFixed(1).padStart(7)} ms = ${rate(median(runs)).padStart(16)}   validate ${median(validations).toFixed(1).padStart(7)} ms = ${rate(median(validations))}`,
  );
}
