/**
 * `npm run eval:planner`: plans (and runs) every request of `cases.ts` over the fixed workspace
 * catalog — five real stdio MCP servers, 62 tools — and prints, per provider, the share of plans
 * that have the properties their case asks for, the tokens per plan and the latency.
 *
 * Providers come from the environment (see docs/planner.md); with none set it runs against a
 * scripted local endpoint that answers each case's own plan over the OpenAI-compatible wire
 * format: that run tests the harness, not a model, and says so.
 *
 *   npm run eval:planner [-- --cases id,id] [--json file]
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { PlannerConfig } from '../../shared/config.js';
import type { CallTool } from '../../main/core/batch/executor.js';
import { EnvironmentCredentials } from '../../main/core/config/credentials.js';
import { startLlmEndpoint, type LlmEndpoint } from '../../main/core/planner/__fixtures__/llm-endpoint.js';
import { createPlannerModel, type PlannerModel } from '../../main/core/planner/language-model.js';
import type { PlannerCatalog } from '../../main/core/planner/planner-catalog.js';
import { PlannerError } from '../../main/core/planner/planner-error.js';
import { normaliseRequest } from '../../main/core/planner/plan-check.js';
import { Planner } from '../../main/core/planner/planner.js';
import { selectTools } from '../../main/core/planner/tool-prefilter.js';
import { CASES } from './cases.js';
import { KINDS, startWorkspace } from './workspace.js';
import { judge } from './judge.js';

interface Outcome {
  id: string;
  correct: boolean;
  /** Every tool of the case's reference plan was among the tools the model was shown. */
  offeredAll: boolean;
  why: string[];
  tokens: number;
  planningMs: number;
  firstCallMs?: number | undefined;
  runStatus?: string | undefined;
}

const { values: options } = parseArgs({ options: { cases: { type: 'string' }, json: { type: 'string' } } });
const cases = options.cases ? CASES.filter((entry) => options.cases!.split(',').includes(entry.id)) : CASES;

/** Real providers whose credentials are set, as `orch.planner` configs. */
function configuredProviders(env: NodeJS.ProcessEnv): PlannerConfig[] {
  const found: PlannerConfig[] = [];
  if (env.AZURE_API_KEY && (env.AZURE_RESOURCE_NAME || env.AZURE_BASE_URL)) {
    found.push({
      provider: 'azure',
      model: env.AZURE_DEPLOYMENT ?? 'gpt-4.1',
      ...(env.AZURE_BASE_URL ? { baseURL: env.AZURE_BASE_URL } : { resourceName: env.AZURE_RESOURCE_NAME }),
    });
  }
  if (env.BEDROCK_MODEL && env.AWS_REGION) found.push({ provider: 'bedrock', model: env.BEDROCK_MODEL, region: env.AWS_REGION });
  if (env.OPENAI_API_KEY) found.push({ provider: 'openai', model: env.OPENAI_MODEL ?? 'gpt-4.1' });
  if (env.ANTHROPIC_API_KEY) found.push({ provider: 'anthropic', model: env.ANTHROPIC_MODEL ?? 'claude-sonnet-4-5' });
  if (env.OPENAI_COMPATIBLE_BASE_URL && env.OPENAI_COMPATIBLE_MODEL)
    found.push({ provider: 'openai-compatible', model: env.OPENAI_COMPATIBLE_MODEL, baseURL: env.OPENAI_COMPATIBLE_BASE_URL });
  return found;
}

/** The scripted endpoint: each case's own plan, its usage counted with o200k_base over what was sent and answered. */
async function scriptedEndpoint(): Promise<LlmEndpoint> {
  return startLlmEndpoint((request) => {
    const sent = JSON.stringify(request.body.messages ?? request.body.input ?? '');
    const match = CASES.find((entry) => sent.includes(JSON.stringify(entry.request).slice(1, -1)));
    if (!match) return { kind: 'status', status: 400, body: '{"error":{"message":"no scripted plan for this request"}}' };
    const text = JSON.stringify(match.plan);
    return { kind: 'plan', text, usage: { input: countTokens(sent), output: countTokens(text) } };
  });
}

async function evaluate(model: PlannerModel, catalog: PlannerCatalog, callTool: CallTool): Promise<Outcome[]> {
  const planner = new Planner({ model });
  const outcomes: Outcome[] = [];
  for (const entry of cases) {
    const offered = new Set(selectTools(normaliseRequest(entry.request), catalog.tools, model.maxTools).map((tool) => tool.name));
    const offeredAll = entry.plan.tasks.every((task) => offered.has(task.tool));
    try {
      const run = await planner.run(entry.request, catalog, { callTool, signal: AbortSignal.timeout(180_000) });
      const why = judge(entry, run.graph);
      if (run.report?.status !== 'succeeded') why.push(`the run ${run.report?.status ?? 'did not happen'}`);
      outcomes.push({
        id: entry.id,
        correct: why.length === 0,
        offeredAll,
        why,
        tokens: run.usage.inputTokens + run.usage.outputTokens,
        planningMs: run.planningMs,
        firstCallMs: run.firstCallMs,
        runStatus: run.report?.status,
      });
    } catch (error) {
      const message = error instanceof PlannerError ? `${error.code}: ${error.message}` : String(error);
      outcomes.push({ id: entry.id, correct: false, offeredAll, why: [message.split('\n').join(' ')], tokens: 0, planningMs: 0 });
    }
    process.stderr.write(outcomes.at(-1)!.correct ? '.' : 'x');
  }
  process.stderr.write('\n');
  return outcomes;
}

const quantile = (values: number[], q: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

function summary(label: string, outcomes: Outcome[]): string {
  const correct = outcomes.filter((outcome) => outcome.correct).length;
  const planned = outcomes.filter((outcome) => outcome.tokens > 0);
  const tokens = planned.reduce((sum, outcome) => sum + outcome.tokens, 0) / Math.max(1, planned.length);
  const planning = planned.map((outcome) => outcome.planningMs);
  const firstCalls = outcomes.flatMap((outcome) => (outcome.firstCallMs === undefined ? [] : [outcome.firstCallMs]));
  const lines = [
    `${label}`,
    `  correct plans         ${correct}/${outcomes.length} = ${((correct / outcomes.length) * 100).toFixed(1)} %`,
    `  tokens per plan       ${tokens.toFixed(0)} (input + output, as the provider reported them; mean)`,
    `  pre-filter recall     ${outcomes.filter((outcome) => outcome.offeredAll).length}/${outcomes.length} requests had every tool of their reference plan among the tools shown`,
    `  time to complete plan median ${quantile(planning, 0.5).toFixed(0)} ms, p90 ${quantile(planning, 0.9).toFixed(0)} ms`,
    `  time to first call    median ${quantile(firstCalls, 0.5).toFixed(0)} ms`,
  ];
  for (const outcome of outcomes.filter((entry) => !entry.correct)) lines.push(`  ✗ ${outcome.id}: ${outcome.why.join('; ')}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const workspace = await startWorkspace();
  const results: Record<string, Outcome[]> = {};
  const printed: string[] = [];
  try {
    console.log(
      `Planner evaluation: ${cases.length} requests over ${workspace.catalog.tools.length} tools (${KINDS.join(', ')}), node ${process.version}`,
    );
    const providers = configuredProviders(process.env);
    if (providers.length === 0) {
      const endpoint = await scriptedEndpoint();
      try {
        const model = await createPlannerModel(
          { provider: 'openai-compatible', model: 'scripted', baseURL: `${endpoint.url}/v1` },
          new EnvironmentCredentials({}),
        );
        results.scripted = await evaluate(model, workspace.catalog, workspace.callTool);
        printed.push(
          summary('scripted local endpoint (no provider credentials set) — scripted: tests the harness, not a model', results.scripted),
        );
      } finally {
        await endpoint.close();
      }
    }
    for (const config of providers) {
      const model = await createPlannerModel(config, new EnvironmentCredentials());
      const outcomes = await evaluate(model, workspace.catalog, workspace.callTool);
      results[model.label] = outcomes;
      printed.push(summary(model.label, outcomes));
    }
  } finally {
    await workspace.close();
  }
  console.log(printed.join('\n\n'));
  if (options.json) await writeFile(options.json, JSON.stringify(results, null, 2));
  // The scripted plans are correct by construction: anything less means the harness is broken.
  if (results.scripted && results.scripted.some((outcome) => !outcome.correct)) process.exitCode = 1;
}

await main();
