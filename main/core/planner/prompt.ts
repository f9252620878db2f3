/**
 * What the planner sends the model: a system prompt that teaches the plan format (the
 * `batch_execute` form), the tools on offer, the request, and for the repair round the plan back
 * with its problems. The answer is constrained by `PLAN_JSON_SCHEMA` (structured output).
 */
import { jsonSchema, type ModelMessage } from 'ai';
import type { PlannerTool } from './planner-catalog.js';

/** The plan as the model writes it: the `batch_execute` plan's tasks and output. */
export interface ModelPlan {
  tasks: { id: string; tool: string; arguments?: Record<string, unknown>; dependsOn?: string[] }[];
  output?: string[];
}

/**
 * The structured-output schema. Tool arguments stay a free object: each tool's own input schema
 * is in the prompt and checked after, exactly as `batch_execute` checks it.
 */
export const PLAN_JSON_SCHEMA = {
  type: 'object',
  properties: {
    tasks: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', description: 'unique; letters, digits, "_" or "-"' },
          tool: { type: 'string', description: 'a tool name exactly as listed' },
          arguments: { type: 'object', description: "the tool's arguments; strings may hold {{id.text}} references" },
          dependsOn: { type: 'array', items: { type: 'string' }, description: 'tasks to wait for whose result is not used' },
        },
        required: ['id', 'tool', 'arguments'],
      },
    },
    output: { type: 'array', items: { type: 'string' }, description: 'ids of the tasks whose results answer the request' },
  },
  required: ['tasks', 'output'],
} as const;

/** The schema as the AI SDK takes it; no validation of its own (the planner validates, then repairs). */
export const planOutputSchema = jsonSchema<ModelPlan>(PLAN_JSON_SCHEMA as unknown as Parameters<typeof jsonSchema>[0]);

export const SYSTEM_PROMPT = [
  'You turn a request into a plan of tool calls that MCP Orch runs for you. Answer with the plan only, one JSON object:',
  '{"tasks": [{"id": "...", "tool": "...", "arguments": {...}, "dependsOn": ["..."]}], "output": ["..."]}',
  'Rules:',
  '- "tool" is one of the tools listed below, spelled exactly; "arguments" follow its input schema.',
  '- Use an earlier result with a reference inside an argument string: "{{id.text}}" (its text), "{{id.structuredContent.items[0].id}}" (a value of its structured result, only for tools that list an output schema), "{{id}}" (the whole result).',
  "- A string that is exactly one reference keeps the value's JSON type; inside a longer string it becomes text.",
  '- A reference makes a task wait for the one it names. Add "dependsOn" only to wait for a task whose result is not used (for example, a write before a read).',
  '- Tasks that do not depend on each other run at the same time: do not chain them.',
  '- Call each tool with the same arguments once; list a task after the tasks it depends on.',
  '- "output": the ids of the tasks whose results answer the request; leave out steps whose results only feed other tasks.',
  '- Take values (names, ids, paths, texts) from the request; never invent a tool or an argument the request does not give.',
  '- If the tools listed cannot do the request, answer {"tasks": [], "output": []}.',
].join('\n');

/** One tool, compactly: its name, what it does, whether it only reads, its schemas as JSON. */
function describeTool(tool: PlannerTool): string {
  const flags = tool.annotations?.readOnlyHint === true ? ' [read-only]' : '';
  const lines = [`- ${tool.name}${flags}: ${(tool.description ?? '').replace(/\s+/g, ' ').trim()}`];
  if (tool.inputSchema !== undefined) lines.push(`  input: ${compactSchema(tool.inputSchema)}`);
  if (tool.outputSchema !== undefined) lines.push(`  output: ${compactSchema(tool.outputSchema)}`);
  return lines.join('\n');
}

/** A schema without the members that cost tokens and say nothing to the model. */
function compactSchema(schema: unknown): string {
  return JSON.stringify(schema, (key, value: unknown) => (key === '$schema' || key === 'additionalProperties' ? undefined : value));
}

/** The first request: the tools on offer and the request. */
export function planMessages(request: string, tools: readonly PlannerTool[]): ModelMessage[] {
  return [{ role: 'user', content: `Tools:\n${tools.map(describeTool).join('\n')}\n\nRequest: ${request}` }];
}

/** The repair round: the first answer, its problems, and the ask for a whole corrected plan. */
export function repairMessages(first: readonly ModelMessage[], answer: string, problems: readonly string[]): ModelMessage[] {
  return [
    ...first,
    { role: 'assistant', content: answer },
    {
      role: 'user',
      content: `That plan cannot run:\n${problems.map((problem) => `- ${problem}`).join('\n')}\nAnswer with the whole corrected plan, as JSON only.`,
    },
  ];
}
