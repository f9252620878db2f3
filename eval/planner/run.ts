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
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { PlannerConfig } from '../../shared/config.js';
import type { CallTool } from '../../main/core/batch/executor.js';
import type { CatalogTool } from '../../main/core/batch/plan-graph.js';
import { EnvironmentCredentials } from '../../main/core/config/credentials.js';
import { startLlmEndpoint, type LlmEndpoint } from '../../main/core/planner/__fixtures__/llm-endpoint.js';
import { createPlannerModel, type PlannerModel } from '../../main/core/planner/language-model.js';
import { plannerCatalog, type PlannerCatalog, type PlannerTool } from '../../main/core/planner/planner-catalog.js';
import { PlannerError } from '../../main/core/planner/planner-error.js';
import { Planner } from '../../main/core/planner/planner.js';
import { CASES } from './cases.js';
import { judge } from './judge.js';

const here = dirname(fileURLToPath(import.meta.url));
const SERVER = join(here, '__fixtures__/workspace-server.mjs');
const KINDS = ['github', 'notion', 'slack', 'filesystem', 'search'];

interface Outcome {
  id: string;
  correct: boolean;
  why: string[];
  tokens: number;
  planningMs: number;
  firstCallMs?: number | undefined;
  runStatus?: string | undefined;
}

const { values: options } = parseArgs({ options: { cases: { type: 'string' }, json: { type: 'string' } } });
const cases = options.cases ? CASES.filter((entry) => options.cases!.split(',').includes(entry.id)) : CASES;

/** The five servers, connected over stdio; their tools as the aggregate names them. */
async function startWorkspace(): Promise<{ catalog: PlannerCatalog; callTool: CallTool; close: () => Promise<void> }> {
  const clients = new Map<string, Client>();
  const tools: PlannerTool[] = [];
  const targets = new Map<string, CatalogTool>();
  for (const kind of KINDS) {
    const client = new Client({ name: 'planner-eval', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [SERVER, kind], stderr: 'inherit' }));
    clients.set(kind, client);
    for (const tool of (await client.listTools()).tools) {
      const name = `${kind}__${tool.name}`;
      tools.push({ name, plainName: tool.name, description: tool.description ?? '', inputSchema: tool.inputSchema, ...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}), ...(tool.annotations ? { annotations: tool.annotations } : {}) });
      targets.set(name, { server: kind, name: tool.name, inputSchema: tool.inputSchema, outputSchema: tool.outputSchema, annotations: tool.annotations });
    }
  }
  const callTool: CallTool = async (task, args, signal) =>
    (await clients.get(task.target.server)!.callTool({ name: task.target.name, arguments: args }, undefined, { signal }));
  return {
    catalog: plannerCatalog(tools, (name) => targets.get(name)),
    callTool,
    close: async () => {
      for (const client of clients.values()) await client.close();
    },
  };
}

/** Real providers whose credentials are set, as `orch.planner` configs. */
function configuredProviders(env: NodeJS.ProcessEnv): PlannerConfig[] {
  const found: PlannerConfig[] = [];
  if (env.AZURE_API_KEY && (env.AZURE_RESOURCE_NAME || env.AZURE_BASE_URL)) {
    found.push({ provider: 'azure', model: env.AZURE_DEPLOYMENT ?? 'gpt-4.1', ...(env.AZURE_BASE_URL ? { baseURL: env.AZURE_BASE_URL } : { resourceName: env.AZURE_RESOURCE_NAME }) });
  }
  if (env.BEDROCK_MODEL && env.AWS_REGION) found.push({ provider: 'bedrock', model: env.BEDROCK_MODEL, region: env.AWS_REGION });
  if (env.OPENAI_API_KEY) found.push({ provider: 'openai', model: env.OPENAI_MODEL ?? 'gpt-4.1' });
  if (env.ANTHROPIC_API_KEY) found.push({ provider: 'anthropic', model: env.ANTHROPIC_MODEL ?? 'claude-sonnet-4-5' });
  if (env.OPENAI_COMPATIBLE_BASE_URL && env.OPENAI_COMPATIBLE_MODEL) found.push({ provider: 'openai-compatible', model: env.OPENAI_COMPATIBLE_MODEL, baseURL: env.OPENAI_COMPATIBLE_BASE_URL });
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
    try {
      const run = await planner.run(entry.request, catalog, { callTool, signal: AbortSignal.timeout(180_000) });
      const why = judge(entry, run.graph);
      if (run.report?.status !== 'succeeded') why.push(`the run ${run.report?.status ?? 'did not happen'}`);
      outcomes.push({ id: entry.id, correct: why.length === 0, why, tokens: run.usage.inputTokens + run.usage.outputTokens, planningMs: run.planningMs, firstCallMs: run.firstCallMs, runStatus: run.report?.status });
    } catch (error) {
      const message = error instanceof PlannerError ? `${error.code}: ${error.message}` : String(error);
      outcomes.push({ id: entry.id, correct: false, why: [message.split('\n').join(' ')], tokens: 0, planningMs: 0 });
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
    console.log(`Planner evaluation: ${cases.length} requests over ${workspace.catalog.tools.length} tools (${KINDS.join(', ')}), node ${process.version}`);
    const providers = configuredProviders(process.env);
    if (providers.length === 0) {
      const endpoint = await scriptedEndpoint();
      try {
        const model = await createPlannerModel({ provider: 'openai-compatible', model: 'scripted', baseURL: `${endpoint.url}/v1` }, new EnvironmentCredentials({}));
        results.scripted = await evaluate(model, workspace.catalog, workspace.callTool);
        printed.push(summary('scripted local endpoint (no provider credentials set) — scripted: tests the harness, not a model', results.scripted));
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
