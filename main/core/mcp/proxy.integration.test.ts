/**
 * The per-server endpoints are a transparent proxy (docs/specification.md §3): the whole MCP surface of a real
 * server from npm (`server-everything`) reaches an SDK client unchanged, over Streamable HTTP and
 * legacy SSE alike, including the server's own requests to the client (sampling, elicitation).
 */
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ErrorCode,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  McpError,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  type CreateMessageRequest,
  type ElicitRequest,
  type ElicitResult,
  type LoggingMessageNotification,
  type Progress,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ORCH_UPSTREAM_CAPABILITIES, deferred, tapMessages, textOf } from '../__fixtures__/proxy-test-kit.js';
import { TRANSPORT_KINDS, everythingServer, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';

const require = createRequire(import.meta.url);
const EVERYTHING_ENTRY = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');

/** Any result object, kept as the server sent it (no narrowing, nothing stripped). */
const RawResult = z.looseObject({});

/** The same calls sent to the server directly and through the proxy; their results must be identical. */
const DETERMINISTIC_CALLS: { name: string; arguments: Record<string, unknown> }[] = [
  { name: 'echo', arguments: { message: 'héllo, wörld' } },
  { name: 'get-sum', arguments: { a: 19, b: 23 } },
  { name: 'get-structured-content', arguments: { location: 'Chicago' } },
  { name: 'get-annotated-message', arguments: { messageType: 'error', includeImage: true } },
  { name: 'get-tiny-image', arguments: {} },
  { name: 'get-resource-links', arguments: { count: 4 } },
  { name: 'get-sum', arguments: { a: 'not a number', b: 1 } },
  { name: 'no-such-tool', arguments: {} },
];

let direct: Client;

/** The JSON-RPC error a request failed with (code, message, data), or undefined when it succeeded. */
async function errorOf(request: Promise<unknown>): Promise<{ code: unknown; message: unknown; data: unknown } | undefined> {
  try {
    await request;
    return undefined;
  } catch (error) {
    const { code, message, data } = error as { code?: unknown; message?: unknown; data?: unknown };
    return { code, message, data };
  }
}

beforeAll(async () => {
  direct = new Client({ name: 'direct-client', version: '1.0.0' }, { capabilities: ORCH_UPSTREAM_CAPABILITIES });
  await direct.connect(new StdioClientTransport({ command: process.execPath, args: [EVERYTHING_ENTRY, 'stdio'], stderr: 'ignore' }));
});

afterAll(async () => {
  await direct.close();
});

describe.each(TRANSPORT_KINDS)('transparent proxy of server-everything over %s', (kind) => {
  let harness: Harness;
  let client: Client;
  let answerSampling: (request: CreateMessageRequest) => { role: 'assistant'; content: { type: 'text'; text: string }; model: string };
  let answerElicitation: (request: ElicitRequest) => ElicitResult;

  beforeAll(async () => {
    harness = await startHarness({ everything: everythingServer() });
    client = await harness.connect('everything', kind, { capabilities: { sampling: {}, elicitation: {} } });
    client.setRequestHandler(CreateMessageRequestSchema, (request) => answerSampling(request));
    client.setRequestHandler(ElicitRequestSchema, (request) => answerElicitation(request));
  });

  afterAll(async () => {
    await harness?.dispose();
  });

  it('initialises with the server’s own info and lists tools, resources, templates and prompts exactly as the server does directly', async () => {
    for (const method of ['tools/list', 'resources/list', 'resources/templates/list', 'prompts/list'] as const) {
      const viaProxy = await client.request({ method, params: {} }, RawResult);
      const fromServer = await direct.request({ method, params: {} }, RawResult);
      expect(viaProxy, method).toEqual(fromServer);
    }
    expect(client.getServerVersion()).toEqual(direct.getServerVersion());
    expect(client.getServerCapabilities()).toEqual(direct.getServerCapabilities());
    expect(client.getInstructions()).toEqual(direct.getInstructions());
    const { tools } = await client.listTools();
    const structured = tools.find((tool) => tool.name === 'get-structured-content');
    expect(structured?.outputSchema?.properties).toHaveProperty('temperature');
    expect(structured?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['trigger-sampling-request', 'trigger-elicitation-request']));
  });

  it('returns tool results (text, images, structured content, resource links, errors) exactly as the server does directly', async () => {
    for (const params of DETERMINISTIC_CALLS) {
      const viaProxy = await client.request({ method: 'tools/call', params }, RawResult);
      const fromServer = await direct.request({ method: 'tools/call', params }, RawResult);
      expect(viaProxy, params.name).toEqual(fromServer);
    }
    const sum = await client.callTool({ name: 'get-sum', arguments: { a: 2, b: 3 } });
    expect(textOf(sum)).toBe('The sum of 2 and 3 is 5.');
    const weather = await client.callTool({ name: 'get-structured-content', arguments: { location: 'Los Angeles' } });
    expect(weather.structuredContent).toEqual({ temperature: 73, conditions: 'Sunny / Clear', humidity: 48 });
  });

  it('passes the server’s JSON-RPC errors through unchanged', async () => {
    const failing = [
      { method: 'no-such/method', params: {} },
      { method: 'resources/read', params: { uri: 'demo://resource/dynamic/text/not-a-number' } },
      { method: 'prompts/get', params: { name: 'no-such-prompt' } },
    ] as const;
    for (const request of failing) {
      const viaProxy = await errorOf(client.request(request, RawResult));
      const fromServer = await errorOf(direct.request(request, RawResult));
      expect(fromServer, request.method).toBeDefined();
      expect(viaProxy, request.method).toEqual(fromServer);
    }
  });

  it('reads text and blob resources and lists the resource templates', async () => {
    const { resources } = await client.listResources();
    const features = resources.find((resource) => resource.uri === 'demo://resource/static/document/features.md');
    expect(features?.mimeType).toBe('text/markdown');

    const text = await client.readResource({ uri: 'demo://resource/static/document/features.md' });
    expect(text.contents[0]).toMatchObject({ uri: 'demo://resource/static/document/features.md', mimeType: 'text/markdown' });
    expect((text.contents[0] as { text: string }).text).toContain('# Everything Server - Features');

    const blob = await client.readResource({ uri: 'demo://resource/dynamic/blob/7' });
    const blobContent = blob.contents[0] as { uri: string; blob: string };
    expect(blobContent.uri).toBe('demo://resource/dynamic/blob/7');
    expect(Buffer.from(blobContent.blob, 'base64').toString('utf8')).toMatch(/^Resource 7: This is a base64 blob created at /);

    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toEqual(
      expect.arrayContaining(['demo://resource/dynamic/text/{resourceId}', 'demo://resource/dynamic/blob/{resourceId}']),
    );
  });

  it('delivers notifications/resources/updated for a subscribed resource', async () => {
    const uri = 'demo://resource/dynamic/text/1';
    const updated = deferred<string>();
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => updated.resolve(notification.params.uri));
    await client.subscribeResource({ uri });
    // The server sends an update for every subscribed resource at once when the simulation starts.
    const started = await client.callTool({ name: 'toggle-subscriber-updates', arguments: {} });
    expect(textOf(started)).toMatch(/^Started simulated resource updated notifications/);
    try {
      expect(await updated.promise).toBe(uri);
    } finally {
      const stopped = await client.callTool({ name: 'toggle-subscriber-updates', arguments: {} });
      expect(textOf(stopped)).toMatch(/^Stopped simulated resource updates/);
      await client.unsubscribeResource({ uri });
      client.removeNotificationHandler('notifications/resources/updated');
    }
  });

  it('delivers notifications/resources/list_changed when the server adds a resource', async () => {
    const changed = deferred<void>();
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => changed.resolve());
    try {
      const data = `data:text/plain;base64,${Buffer.from(`hello over ${kind}`).toString('base64')}`;
      const result = await client.callTool({ name: 'gzip-file-as-resource', arguments: { name: `${kind}.txt.gz`, data } });
      const uri = `demo://resource/session/${kind}.txt.gz`;
      expect(result.content).toEqual([expect.objectContaining({ type: 'resource_link', uri, mimeType: 'application/gzip' })]);
      await changed.promise;
      const { resources } = await client.listResources();
      expect(resources.map((resource) => resource.uri)).toContain(uri);
      const read = await client.readResource({ uri });
      const gzipped = (read.contents[0] as { blob: string }).blob;
      expect(gunzipSync(Buffer.from(gzipped, 'base64')).toString('utf8')).toBe(`hello over ${kind}`);
    } finally {
      client.removeNotificationHandler('notifications/resources/list_changed');
    }
  });

  it('gets prompts with arguments', async () => {
    const { prompts } = await client.listPrompts();
    const args = prompts.find((prompt) => prompt.name === 'args-prompt');
    expect(args?.arguments).toEqual([
      expect.objectContaining({ name: 'city', required: true }),
      expect.objectContaining({ name: 'state', required: false }),
    ]);
    const prompt = await client.getPrompt({ name: 'args-prompt', arguments: { city: 'Paris', state: 'Texas' } });
    expect(prompt.messages).toEqual([{ role: 'user', content: { type: 'text', text: "What's weather in Paris, Texas?" } }]);
  });

  it('completes prompt arguments (with context) and resource template variables', async () => {
    const department = await client.complete({
      ref: { type: 'ref/prompt', name: 'completable-prompt' },
      argument: { name: 'department', value: 'S' },
    });
    expect(department.completion.values).toEqual(['Sales', 'Support']);

    const name = await client.complete({
      ref: { type: 'ref/prompt', name: 'completable-prompt' },
      argument: { name: 'name', value: '' },
      context: { arguments: { department: 'Marketing' } },
    });
    expect(name.completion.values).toEqual(['Grace', 'Henry', 'Iris']);

    const resourceId = await client.complete({
      ref: { type: 'ref/resource', uri: 'demo://resource/dynamic/text/{resourceId}' },
      argument: { name: 'resourceId', value: '12' },
    });
    expect(resourceId.completion.values).toEqual(['12']);
  });

  it('forwards logging/setLevel and delivers the log notifications the server sends', async () => {
    const logs: LoggingMessageNotification['params'][] = [];
    const wanted = deferred<LoggingMessageNotification['params']>();
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      logs.push(notification.params);
      if (String(notification.params.data).includes('demo://resource/dynamic/text/902')) wanted.resolve(notification.params);
    });
    try {
      // At level "error" the server suppresses the "info" message it logs for each (un)subscribe…
      await client.setLoggingLevel('error');
      await client.subscribeResource({ uri: 'demo://resource/dynamic/text/901' });
      await client.unsubscribeResource({ uri: 'demo://resource/dynamic/text/901' });
      // …and at "debug" it sends it.
      await client.setLoggingLevel('debug');
      await client.subscribeResource({ uri: 'demo://resource/dynamic/text/902' });
      const log = await wanted.promise;
      expect(log).toMatchObject({ level: 'info', data: expect.stringContaining('Received Subscribe Resource request') as unknown });
      expect(logs.filter((entry) => String(entry.data).includes('/901'))).toEqual([]);
      await client.unsubscribeResource({ uri: 'demo://resource/dynamic/text/902' });
    } finally {
      await client.setLoggingLevel('debug');
      client.removeNotificationHandler('notifications/message');
    }
  });

  it('delivers progress of a long-running tool under the client’s own token, in order, before the result', async () => {
    const tap = tapMessages(client);
    const progress: Progress[] = [];
    const result = await client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 0.2, steps: 4 } }, undefined, {
      onprogress: (update) => progress.push(update),
    });
    expect(textOf(result)).toBe('Long running operation completed. Duration: 0.2 seconds, Steps: 4.');

    // On the wire: four notifications under the token the client chose, in order, then the result.
    const call = tap.outgoing.find((message) => 'method' in message && message.method === 'tools/call');
    const { id, params } = call as { id: number; params: { _meta: { progressToken: unknown } } };
    const notifications = tap.incoming
      .filter((message) => 'method' in message && message.method === 'notifications/progress')
      .map((message) => (message as { params: Record<string, unknown> }).params);
    expect(notifications).toEqual([1, 2, 3, 4].map((step) => ({ progressToken: params._meta.progressToken, progress: step, total: 4 })));
    const lastProgress = tap.incoming.findLastIndex((message) => 'method' in message && message.method === 'notifications/progress');
    const response = tap.incoming.findIndex((message) => 'id' in message && message.id === id && 'result' in message);
    expect(response).toBeGreaterThan(lastProgress);

    // The SDK client runs progress handlers a microtask late and drops those that arrive in the same
    // read as the result (it does so connected directly too): under load the last ones may be missing.
    expect(progress).toEqual(notifications.slice(0, progress.length).map(({ progress: step, total }) => ({ progress: step, total })));
  });

  it('answers ping', async () => {
    await expect(client.ping()).resolves.toEqual({});
  });

  it('routes the server’s roots/list to the client that declared roots', async () => {
    const rootsClient = await harness.connect('everything', kind, { capabilities: { roots: { listChanged: true } } }, 'roots-client');
    rootsClient.setRequestHandler(ListRootsRequestSchema, () => ({
      roots: [{ uri: `file:///work/${kind}-project`, name: 'The project' }],
    }));
    const result = await rootsClient.callTool({ name: 'get-roots-list', arguments: {} });
    expect(textOf(result)).toContain('Current MCP Roots (1 total)');
    expect(textOf(result)).toContain(`URI: file:///work/${kind}-project`);
  });

  it('routes a sampling request of the server to this client and returns its answer to the tool', async () => {
    const asked: CreateMessageRequest['params'][] = [];
    answerSampling = (request) => {
      asked.push(request.params);
      return { role: 'assistant', content: { type: 'text', text: `sampled answer via ${kind}` }, model: 'test-model' };
    };
    const result = await client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'What is MCP?', maxTokens: 42 } });
    expect(asked).toEqual([
      expect.objectContaining({
        maxTokens: 42,
        messages: [{ role: 'user', content: { type: 'text', text: 'Resource trigger-sampling-request context: What is MCP?' } }],
      }),
    ]);
    expect(textOf(result)).toContain(`sampled answer via ${kind}`);
    expect(textOf(result)).toContain('"model": "test-model"');
  });

  it('returns a client’s refusal of a sampling request to the server as an error', async () => {
    answerSampling = () => {
      throw new McpError(ErrorCode.InvalidRequest, `the user refused sampling via ${kind}`);
    };
    const outcome = await client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'refuse me' } }).then(
      (result) => textOf(result),
      (error: Error) => error.message,
    );
    expect(outcome).toContain(`the user refused sampling via ${kind}`);
  });

  it('routes an elicitation request to this client, and returns an accept to the tool', async () => {
    let message = '';
    answerElicitation = (request) => {
      message = request.params.message;
      return { action: 'accept', content: { name: 'Ada Lovelace', check: true, integer: 7 } };
    };
    const result = await client.callTool({ name: 'trigger-elicitation-request', arguments: {} });
    expect(message).toBe('Please provide inputs for the following fields:');
    expect(textOf(result)).toContain('✅ User provided the requested information!');
    expect(textOf(result)).toContain('- Name: Ada Lovelace');
    expect(textOf(result)).toContain('- Favorite Integer: 7');
  });

  it('routes an elicitation request to this client, and returns a decline to the tool', async () => {
    answerElicitation = () => ({ action: 'decline' });
    const result = await client.callTool({ name: 'trigger-elicitation-request', arguments: {} });
    expect(textOf(result)).toContain('❌ User declined to provide the requested information.');
  });
});
