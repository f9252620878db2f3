/**
 * The two ways the planner calls the model: whole (`generateText`) and streamed (`streamText`,
 * each piece of text handed on as it comes), both with the plan schema as structured output. Both
 * answer the raw text and the provider's token usage, and turn every failure into a `PlannerError`.
 * Retries of 429 and 5xx answers are the AI SDK's (`maxRetries`, honouring `retry-after`).
 */
import { NoObjectGeneratedError, Output, generateText, streamText, type CallWarning, type LanguageModelUsage, type ModelMessage } from 'ai';
import type { PlannerModel } from './language-model.js';
import { PlannerError } from './planner-error.js';
import { plannerErrorOf } from './provider-errors.js';
import { SYSTEM_PROMPT, planOutputSchema } from './prompt.js';

/** Tokens the provider reported for a call (or several, summed). */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** The model's answer: its text (meant to be the plan's JSON) and what it cost. */
export interface ModelAnswer {
  text: string;
  usage: TokenUsage;
}

/** The usage of a plan that took no model call (a cache hit). */
export const NO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0 };

/** The usage of two calls together. */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens };
}

function usageOf(usage: LanguageModelUsage | undefined): TokenUsage {
  return { inputTokens: usage?.inputTokens ?? 0, outputTokens: usage?.outputTokens ?? 0 };
}

function callSettings(model: PlannerModel, messages: ModelMessage[], signal: AbortSignal) {
  return {
    model: model.model,
    system: SYSTEM_PROMPT,
    messages,
    output: Output.object({ schema: planOutputSchema, name: 'batch_plan', description: 'A plan of tool calls for MCP Orch' }),
    maxOutputTokens: model.maxOutputTokens,
    temperature: model.temperature,
    maxRetries: model.maxRetries,
    abortSignal: signal,
    providerOptions: model.providerOptions,
  };
}

/** Asks for a whole plan. A text that is not JSON is answered as is: the planner reports it to the model. */
export async function generatePlanText(model: PlannerModel, messages: ModelMessage[], signal: AbortSignal): Promise<ModelAnswer> {
  try {
    const result = await generateText(callSettings(model, messages, signal));
    reportWarnings(model, result.warnings);
    return { text: result.text, usage: usageOf(result.totalUsage) };
  } catch (error) {
    if (NoObjectGeneratedError.isInstance(error)) return { text: error.text ?? '', usage: usageOf(error.usage) };
    throw plannerErrorOf(error, model.label, signal);
  }
}

/** Streams a plan: `onText` gets each piece as it arrives (and may throw to stop the stream). */
export async function streamPlanText(
  model: PlannerModel,
  messages: ModelMessage[],
  signal: AbortSignal,
  onText: (delta: string) => Promise<void>,
): Promise<ModelAnswer> {
  let text = '';
  let usage: TokenUsage = NO_USAGE;
  try {
    const result = streamText({ ...callSettings(model, messages, signal), onError: () => {} });
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') {
        text += part.text;
        await onText(part.text);
      } else if (part.type === 'error') {
        throw part.error;
      } else if (part.type === 'abort') {
        throw signal.reason ?? new PlannerError('cancelled', 'the planning was cancelled');
      } else if (part.type === 'start-step') {
        reportWarnings(model, part.warnings);
      } else if (part.type === 'finish') {
        usage = usageOf(part.totalUsage);
      }
    }
  } catch (error) {
    throw plannerErrorOf(error, model.label, signal);
  }
  return { text, usage };
}

/** Hands the provider's warnings for a call (a setting the model ignores) to `model.onWarning`, one line each. */
function reportWarnings(model: PlannerModel, warnings: readonly CallWarning[] | undefined): void {
  if (!model.onWarning) return;
  for (const warning of warnings ?? []) model.onWarning(`${model.label}: ${warningText(warning)}`);
}

function warningText(warning: CallWarning): string {
  switch (warning.type) {
    case 'unsupported':
      return `"${warning.feature}" is not supported${warning.details ? ` (${warning.details})` : ''}`;
    case 'compatibility':
      return `"${warning.feature}" runs in a compatibility mode${warning.details ? ` (${warning.details})` : ''}`;
    case 'other':
      return warning.message;
    default:
      return JSON.stringify(warning);
  }
}
