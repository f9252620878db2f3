/**
 * The real provider packages of the AI SDK, over real HTTP, against a local endpoint that speaks
 * their wire formats: requests are signed and shaped as the provider's API wants them, the plan
 * comes back parsed, whole and streamed, and failures become clear planner errors.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PlannerConfig } from '../../../shared/config.js';
import type { CallTool } from '../batch/executor.js';
import { EnvironmentCredentials } from '../config/credentials.js';
import { startLlmEndpoint, type LlmEndpoint, type Reply, type SeenRequest } from './__fixtures__/llm-endpoint.js';
import { workspaceCatalog } from './__fixtures__/scripted-model.js';
import { createPlannerModel } from './language-model.js';
import { Planner } from './planner.js';
import type { PlannerError } from './planner-error.js';

const PLAN = JSON.stringify({
  tasks: [
    { id: 'issues', tool: 'github__list_issues', arguments: { repo: 'acme/app', state: 'open' } },
    { id: 'post', tool: 'slack__post_message', arguments: { channel: '#eng', text: 'Open: {{issues.text}}' } },
  ],
  output: ['post'],
});
const credentials = new EnvironmentCredentials({ TEST_KEY: 'key-123', TEST_AK: 'AKIDTEST', TEST_SK: 'secret-test' });
const answered: CallTool = (task, args) => Promise.resolve({ content: [{ type: 'text', text: `${task.id}: ${JSON.stringify(args)}` }] });

let endpoint: LlmEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

async function plannerFor(
  config: (url: string) => PlannerConfig,
  script: (request: SeenRequest, index: number) => Reply,
  maxRetries = 2,
): Promise<Planner> {
  endpoint = await startLlmEndpoint(script);
  const model = await createPlannerModel({ maxRetries, ...config(endpoint.url) }, credentials);
  return new Planner({ model });
}

const PROVIDERS: { name: string; config: (url: string) => PlannerConfig; path: RegExp; auth: (request: SeenRequest) => void }[] = [
  {
    name: 'azure, Responses API',
    config: (url) => ({ provider: 'azure', model: 'gpt-4.1', baseURL: `${url}/openai`, apiKey: '${env:TEST_KEY}' }),
    path: /^\/openai\/.*responses/,
    auth: (request) => expect(request.headers['api-key']).toBe('key-123'),
  },
  {
    name: 'azure, Chat Completions',
    config: (url) => ({ provider: 'azure', model: 'gpt-4.1', baseURL: `${url}/openai`, apiKey: '${env:TEST_KEY}', api: 'chat' }),
    path: /^\/openai\/.*chat\/completions/,
    auth: (request) => expect(request.headers['api-key']).toBe('key-123'),
  },
  {
    name: 'bedrock, Converse',
    config: (url) => ({
      provider: 'bedrock',
      model: 'amazon.nova-pro-v1:0',
      region: 'us-east-1',
      baseURL: url,
      accessKeyId: '${env:TEST_AK}',
      secretAccessKey: '${env:TEST_SK}',
    }),
    path: /^\/model\/amazon\.nova-pro-v1:0\/converse/,
    auth: (request) => {
      expect(request.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/bedrock\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/,
      );
      expect(request.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    },
  },
  {
    name: 'openai-compatible (a local model)',
    config: (url) => ({ provider: 'openai-compatible', model: 'llama3.1', baseURL: `${url}/v1` }),
    path: /^\/v1\/chat\/completions$/,
    auth: (request) => expect(request.headers.authorization).toBeUndefined(),
  },
  {
    name: 'openai, Responses API',
    config: (url) => ({ provider: 'openai', model: 'gpt-4.1', baseURL: `${url}/v1`, apiKey: '${env:TEST_KEY}' }),
    path: /^\/v1\/responses$/,
    auth: (request) => expect(request.headers.authorization).toBe('Bearer key-123'),
  },
  {
    name: 'anthropic, Messages API',
    config: (url) => ({ provider: 'anthropic', model: 'claude-sonnet-4-5', baseURL: `${url}/v1`, apiKey: '${env:TEST_KEY}' }),
    path: /^\/v1\/messages$/,
    auth: (request) => expect(request.headers['x-api-key']).toBe('key-123'),
  },
];

describe.each(PROVIDERS)('$name', ({ config, path, auth }) => {
  it("plans over real HTTP: the request is the API's, the structured plan comes back parsed with its usage", async () => {
    const planner = await plannerFor(config, () => ({ kind: 'plan', text: PLAN }));
    const outcome = await planner.plan('post the open issues of acme/app to #eng', workspaceCatalog());
    expect(outcome.plan.tasks.map((task) => task.id)).toEqual(['issues', 'post']);
    expect(outcome.usage).toEqual({ inputTokens: 321, outputTokens: 45 });
    const [request] = endpoint!.requests;
    expect(request!.path).toMatch(path);
    auth(request!);
    expect(JSON.stringify(request!.body)).toContain('post the open issues of acme/app to #eng');
    // The plan schema went as structured output, whatever the API calls it.
    expect(JSON.stringify(request!.body)).toContain('"required":["tasks","output"]');
  });

  it('streams the plan into the executor', async () => {
    const planner = await plannerFor(config, () => ({ kind: 'plan', text: PLAN, usage: { input: 500, output: 60 } }));
    const run = await planner.run('post the open issues of acme/app to #eng', workspaceCatalog(), {
      callTool: answered,
      hold: () => false,
    });
    expect(run.report!.status).toBe('succeeded');
    expect(run.report!.tasks.map((task) => task.status)).toEqual(['succeeded', 'succeeded']);
    expect(run.usage).toEqual({ inputTokens: 500, outputTokens: 60 });
    expect(endpoint!.requests[0]!.path).toMatch(path);
  });
});

describe('provider failures', () => {
  const azure = (url: string): PlannerConfig => ({
    provider: 'azure',
    model: 'gpt-4.1',
    baseURL: `${url}/openai`,
    apiKey: '${env:TEST_KEY}',
    api: 'chat',
  });
  const bedrock = PROVIDERS[2]!.config;

  it('a 401 is an unauthorized error at once, not retried', async () => {
    const planner = await plannerFor(azure, () => ({
      kind: 'status',
      status: 401,
      body: '{"error":{"code":"401","message":"Access denied due to invalid subscription key."}}',
    }));
    const error = (await planner.plan('x', workspaceCatalog()).catch((caught: unknown) => caught)) as PlannerError;
    expect(error).toMatchObject({ name: 'PlannerError', code: 'unauthorized' });
    expect(error.message).toContain('azure (gpt-4.1) refused the credentials (HTTP 401)');
    expect(error.message).toContain('invalid subscription key');
    expect(endpoint!.requests).toHaveLength(1);
  });

  it('a 429 or a 500 is retried, honouring retry-after, and the retry succeeds', async () => {
    const planner = await plannerFor(azure, (_request, index) =>
      index === 0
        ? { kind: 'status', status: 429, headers: { 'retry-after-ms': '0' } }
        : index === 1
          ? { kind: 'status', status: 500, headers: { 'retry-after-ms': '0' } }
          : { kind: 'plan', text: PLAN },
    );
    const outcome = await planner.plan('x', workspaceCatalog());
    expect(outcome.plan.tasks).toHaveLength(2);
    expect(endpoint!.requests).toHaveLength(3);
  });

  it('a 429 that lasts is a rate_limited error after the retries', async () => {
    const planner = await plannerFor(
      bedrock,
      () => ({
        kind: 'status',
        status: 429,
        headers: { 'retry-after-ms': '0' },
        body: '{"message":"Too many requests, please wait before trying again."}',
      }),
      1,
    );
    const error = (await planner.plan('x', workspaceCatalog()).catch((caught: unknown) => caught)) as PlannerError;
    expect(error.code).toBe('rate_limited');
    expect(error.message).toMatch(/bedrock \(amazon\.nova-pro-v1:0\) is rate limiting the planner \(HTTP 429\).*\(2 attempts\)/);
    expect(endpoint!.requests).toHaveLength(2);
  });

  it('a 500 that lasts is a provider error after the retries', async () => {
    const planner = await plannerFor(azure, () => ({ kind: 'status', status: 500, headers: { 'retry-after-ms': '0' } }), 2);
    const error = (await planner.plan('x', workspaceCatalog()).catch((caught: unknown) => caught)) as PlannerError;
    expect(error.code).toBe('provider_error');
    expect(error.message).toContain('failed (HTTP 500)');
    expect(endpoint!.requests).toHaveLength(3);
  });

  it.each([
    ['whole', azure],
    ['streamed', azure],
    ['bedrock streamed', bedrock],
  ] as const)('a malformed body (%s) is a bad_response error', async (mode, config) => {
    const planner = await plannerFor(config, () => ({ kind: 'malformed' }), 0);
    const work = mode === 'whole' ? planner.plan('x', workspaceCatalog()) : planner.run('x', workspaceCatalog(), { callTool: answered });
    const error = (await work.catch((caught: unknown) => caught)) as PlannerError;
    expect(error.code, error.message).toBe('bad_response');
  });

  it.each([
    ['azure responses', PROVIDERS[0]!.config],
    ['azure chat', azure],
    ['bedrock', bedrock],
  ] as const)('a stream cut halfway (%s) is a stream_cut error, and what started is cancelled', async (_name, config) => {
    const planner = await plannerFor(config, () => ({ kind: 'cut' }), 0);
    const error = (await planner.run('x', workspaceCatalog(), { callTool: answered }).catch((caught: unknown) => caught)) as PlannerError;
    expect(error.code, error.message).toBe('stream_cut');
    expect(error.message).toContain('the connection broke');
  });

  it('a missing key names the variable to set, before any request', async () => {
    endpoint = await startLlmEndpoint(() => ({ kind: 'plan', text: PLAN }));
    const missing = createPlannerModel({ provider: 'azure', model: 'gpt-4.1', resourceName: 'acme' }, new EnvironmentCredentials({}));
    await expect(missing).rejects.toMatchObject({
      code: 'missing_credential',
      message: 'orch.planner.apiKey needs a credential: set the environment variable AZURE_API_KEY',
    });
    expect(endpoint.requests).toHaveLength(0);
  });

  it('bedrock without keys in the config signs with the AWS credential chain (here: the environment)', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDCHAIN',
      AWS_SECRET_ACCESS_KEY: 'chain-secret',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    delete process.env.AWS_BEARER_TOKEN_BEDROCK;
    try {
      const planner = await plannerFor(
        (url) => ({ provider: 'bedrock', model: 'amazon.nova-pro-v1:0', region: 'eu-west-1', baseURL: url }),
        () => ({ kind: 'plan', text: PLAN }),
      );
      await planner.plan('x', workspaceCatalog());
      expect(endpoint!.requests[0]!.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDCHAIN\/\d{8}\/eu-west-1\/bedrock\/aws4_request/,
      );
    } finally {
      process.env = saved;
    }
  });
});
