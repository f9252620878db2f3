/**
 * Tokens of the same workflows done three ways, counted with o200k_base (gpt-tokenizer):
 *   1. one tool call per model turn (Cline);
 *   2. one model turn per wave of parallel tool calls (Claude Code, OpenAI parallel tool calls);
 *   3. one `plan_and_execute`: the agent's call, the planner's own model call (its prompt — system,
 *      the 40 tools it keeps of 62, the request — and the plan it writes), and the report of the
 *      output tasks only, then the agent's answer.
 * The planner and the executor are the real ones (a scripted model writes the plan; the tools
 * answer canned results of realistic size); the catalog is the evaluation workspace's 62 tools,
 * listed by its five real stdio servers. Run: `node --import tsx bench/batch/three-ways.ts`.
 */
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { batchToolDefinition } from '../../main/core/batch/batch-tool.js';
import type { CallTool } from '../../main/core/batch/executor.js';
import { ScriptedModel } from '../../main/core/planner/__fixtures__/scripted-model.js';
import { planToolAnswer, planToolDefinition } from '../../main/core/planner/plan-tool.js';
import { Planner } from '../../main/core/planner/planner.js';
import type { ModelPlan } from '../../main/core/planner/prompt.js';
import { startWorkspace } from '../../eval/planner/workspace.js';
import { WORKFLOWS, type Workflow } from './workflows.js';

const SYSTEM_PROMPT = 'You are a coding assistant with access to tools. Use them to answer the user. Be concise.';
const MAX_RESULT_CHARS = 2_000;

interface Message {
  role: string;
  content: string;
}

/** The figures of one way. */
export interface WayTokens {
  turns: number;
  total: number;
  /** Of the total: the planner's own call (prompt + plan), way 3 only. */
  planner?: number;
  /** Of the total: the tool results the agent reads, once each. */
  results: number;
}

export interface WorkflowTokens {
  name: string;
  shape: string;
  dependent: boolean;
  calls: number;
  waves: number;
  perCall: WayTokens;
  perWave: WayTokens;
  planned: WayTokens;
}

const render = (message: Message): number => countTokens(`${message.role}\n${message.content}`) + 4;

/** A transcript's cost: every turn pays the system prompt, the tool definitions and every message so far, plus its completion. */
function transcript(
  toolTokens: number,
  request: string,
  steps: { call: Message; results: Message[] }[],
  answer: string,
): { turns: number; total: number; results: number } {
  const messages: Message[] = [{ role: 'user', content: request }];
  let total = 0;
  const base = render({ role: 'system', content: SYSTEM_PROMPT }) + toolTokens;
  const turn = (completion: Message): void => {
    total += base + messages.reduce((sum, message) => sum + render(message), 0) + render(completion);
  };
  let results = 0;
  for (const step of steps) {
    turn(step.call);
    messages.push(step.call, ...step.results);
    results += step.results.reduce((sum, message) => sum + render(message), 0);
  }
  turn({ role: 'assistant', content: answer });
  return { turns: steps.length + 1, total, results };
}

const toolsTokens = (tools: readonly Record<string, unknown>[]): number =>
  countTokens(JSON.stringify(tools.map((tool) => ({ name: tool.name, description: tool.description, parameters: tool.inputSchema }))));

/** Ways 1 and 2, from the calls the agent makes wave by wave. */
function agentWays(workflow: Workflow, toolTokens: number): { perCall: WayTokens; perWave: WayTokens } {
  const withUser = (steps: { call: Message; results: Message[] }[]) => transcript(toolTokens, workflow.request, steps, workflow.answer);
  const perCall = withUser(
    workflow.agentWaves.flat().map((call) => ({
      call: { role: 'assistant', content: JSON.stringify({ tool_call: { name: call.tool, arguments: call.arguments } }) },
      results: [{ role: 'tool', content: call.result }],
    })),
  );
  const perWave = withUser(
    workflow.agentWaves.map((wave) => ({
      call: {
        role: 'assistant',
        content: JSON.stringify({ tool_calls: wave.map((call) => ({ name: call.tool, arguments: call.arguments })) }),
      },
      results: wave.map((call) => ({ role: 'tool', content: call.result })),
    })),
  );
  return { perCall, perWave };
}

/** Way 3: the real planner and executor; the scripted model writes `workflow.plan`. */
async function plannedWay(
  workflow: Workflow,
  catalog: Awaited<ReturnType<typeof startWorkspace>>['catalog'],
  toolTokens: number,
): Promise<WayTokens> {
  const planText = JSON.stringify(workflow.plan satisfies ModelPlan);
  const model = new ScriptedModel([planText]);
  const callTool: CallTool = (task) => Promise.resolve(workflow.results[task.id] ?? { content: [{ type: 'text', text: 'ok' }] });
  const planned = await new Planner({ model: model.plannerModel() }).run(workflow.request, catalog, { callTool, hold: () => false });
  if (planned.report?.status !== 'succeeded') throw new Error(`${workflow.name}: the planned run ${planned.report?.status}`);
  // The planner's call: its prompt as the model got it (system + the kept tools + the request), and the plan.
  const prompt = model.calls[0]!.prompt.map((message) => ({
    role: message.role,
    content: typeof message.content === 'string' ? message.content : JSON.stringify(message.content),
  }));
  const plannerTokens = prompt.reduce((sum, message) => sum + render(message), 0) + render({ role: 'assistant', content: planText });
  const answer = JSON.stringify(planToolAnswer('run-1', planned, MAX_RESULT_CHARS));
  const counted = transcript(
    toolTokens,
    workflow.request,
    [
      {
        call: {
          role: 'assistant',
          content: JSON.stringify({ tool_call: { name: 'plan_and_execute', arguments: { request: workflow.request } } }),
        },
        results: [{ role: 'tool', content: answer }],
      },
    ],
    workflow.answer,
  );
  return { turns: counted.turns, total: counted.total + plannerTokens, planner: plannerTokens, results: counted.results };
}

/** Every workflow three ways. */
export async function compareWorkflows(): Promise<WorkflowTokens[]> {
  const workspace = await startWorkspace();
  try {
    const tools = workspace.catalog.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      inputSchema: tool.inputSchema,
    }));
    const agentTools = toolsTokens(tools);
    // The batch-mode aggregate lists both batch tools beside the servers' tools.
    const batchTools = toolsTokens([...tools, batchToolDefinition('aggregate'), planToolDefinition()]);
    const rows: WorkflowTokens[] = [];
    for (const workflow of WORKFLOWS) {
      const { perCall, perWave } = agentWays(workflow, agentTools);
      rows.push({
        name: workflow.name,
        shape: workflow.shape,
        dependent: workflow.shape !== 'independent',
        calls: workflow.agentWaves.flat().length,
        waves: workflow.agentWaves.length,
        perCall,
        perWave,
        planned: await plannedWay(workflow, workspace.catalog, batchTools),
      });
    }
    return rows;
  } finally {
    await workspace.close();
  }
}

/** Standalone: prints the rows. */
if (process.argv[1]?.endsWith('three-ways.ts')) {
  for (const row of await compareWorkflows()) {
    const saved = (way: WayTokens) => `${((1 - row.planned.total / way.total) * 100).toFixed(1)} %`;
    console.log(
      `${row.name} (${row.shape}, ${row.calls} calls in ${row.waves} waves): per call ${row.perCall.total} (${row.perCall.turns} turns), per wave ${row.perWave.total} (${row.perWave.turns} turns), plan_and_execute ${row.planned.total} (planner ${row.planned.planner}); saved vs per call ${saved(row.perCall)}, vs per wave ${saved(row.perWave)}`,
    );
  }
}
