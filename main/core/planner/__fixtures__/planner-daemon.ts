/**
 * Test support for the planner's surfaces: a real daemon (the runtime harness) in batch mode with
 * the batch fixture server as `a`, whose `orch.planner` is Azure OpenAI (Chat Completions) at a
 * local LLM endpoint on 127.0.0.1. The endpoint answers each request with the plan the test
 * scripted for the marker word its request contains; a request with no scripted marker gets a 500
 * that says so.
 */
import { fileURLToPath } from 'node:url';
import type { ConfigFile, PlannerConfig, ServerConfig } from '../../../../shared/config.js';
import { fixtureServer, startHarness, type Harness } from '../../__fixtures__/runtime-harness.js';
import type { RuntimeOptions } from '../../runtime.js';
import { startLlmEndpoint, type LlmEndpoint, type Reply, type SeenRequest } from './llm-endpoint.js';

export const BATCH_SERVER = fileURLToPath(new URL('../../batch/__fixtures__/batch-server.mjs', import.meta.url));

/** The API key the daemon's environment holds for the planner (`${env:PLANNER_TEST_KEY}`). */
export const PLANNER_KEY = 'planner-test-key-123';

/** The token usage the endpoint reports for each scripted plan. */
export const USAGE = { input: 321, output: 45 };

export interface PlannerDaemon {
  harness: Harness;
  endpoint: LlmEndpoint;
  /** Answers the requests whose text contains `marker`: a reply, or one made from how many such requests came before. */
  answer(marker: string, reply: Reply | ((count: number) => Reply)): void;
  /** The requests the endpoint saw whose text contains `marker`. */
  seen(marker: string): SeenRequest[];
  /** `orch.planner` as this daemon has it, with `extra` over it (to write back with a reload). */
  plannerConfig(extra?: Partial<PlannerConfig>): PlannerConfig;
  dispose(): Promise<void>;
}

/** A scripted plan as the model's answer. */
export function planReply(plan: unknown): Reply {
  return { kind: 'plan', text: JSON.stringify(plan), usage: USAGE };
}

/** What the model was asked (system, messages, tools), as one text to search. */
function requestText(request: SeenRequest): string {
  return JSON.stringify(request.body.messages ?? request.body.input ?? request.body);
}

export async function startPlannerDaemon(
  options: {
    planner?: Partial<PlannerConfig> | false;
    servers?: Record<string, ServerConfig>;
    orch?: ConfigFile['orch'];
    runtime?: Partial<RuntimeOptions>;
  } = {},
): Promise<PlannerDaemon> {
  const scripts = new Map<string, Reply | ((count: number) => Reply)>();
  const counts = new Map<string, number>();
  const endpoint = await startLlmEndpoint((request) => {
    const text = requestText(request);
    for (const [marker, reply] of scripts) {
      if (!text.includes(marker)) continue;
      const count = counts.get(marker) ?? 0;
      counts.set(marker, count + 1);
      return typeof reply === 'function' ? reply(count) : reply;
    }
    return { kind: 'status', status: 500, body: '{"error":{"message":"no scripted answer for this request"}}' };
  });
  // No retries: a scripted failure is answered once, and at once.
  const plannerConfig = (extra: Partial<PlannerConfig> = {}): PlannerConfig => ({
    provider: 'azure',
    model: 'gpt-4.1',
    baseURL: `${endpoint.url}/openai`,
    api: 'chat',
    apiKey: '${env:PLANNER_TEST_KEY}',
    maxRetries: 0,
    ...(options.planner || {}),
    ...extra,
  });
  const orch: ConfigFile['orch'] = { mode: 'batch', ...(options.planner === false ? {} : { planner: plannerConfig() }), ...options.orch };
  let harness: Harness;
  try {
    harness = await startHarness(options.servers ?? { a: fixtureServer(BATCH_SERVER) }, {
      orch,
      env: { PLANNER_TEST_KEY: PLANNER_KEY },
      ...(options.runtime ? { runtime: options.runtime } : {}),
    });
  } catch (error) {
    await endpoint.close();
    throw error;
  }
  return {
    harness,
    endpoint,
    answer: (marker, reply) => void scripts.set(marker, reply),
    seen: (marker) => endpoint.requests.filter((request) => requestText(request).includes(marker)),
    plannerConfig,
    async dispose() {
      await harness.dispose();
      await endpoint.close();
    },
  };
}
