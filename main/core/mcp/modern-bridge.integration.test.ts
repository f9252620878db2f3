/**
 * A 2026-07-28 client and a 2025 server that asks questions mid-call (elicitation, sampling,
 * roots): the server's questions reach the SDK v2 client as `input_required` results, its retry's
 * `inputResponses` answer them upstream, and the call goes on. Then, with raw requests, what the
 * bridge refuses: an altered `requestState`, one of another key, endpoint or tool, a question the
 * client did not declare, and a client that never comes back (the call is cancelled when the wait
 * is over).
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_HEADERS, fixtureServer, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';
import { waitForLog } from '../__fixtures__/wait.js';

const ASKING = new URL('./__fixtures__/asking-server.mjs', import.meta.url).pathname;
const INPUT_WAIT_MS = 1_500;
const CAPABILITIES = { elicitation: {}, sampling: {}, roots: {} };

let harness: Harness;
const clients: Client[] = [];

beforeAll(async () => {
  harness = await startHarness(
    { asking: fixtureServer(ASKING), other: fixtureServer(ASKING) },
    { runtime: { mcpLimits: { inputWaitMs: INPUT_WAIT_MS } } },
  );
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  await harness?.dispose();
});

/** An SDK v2 client on 2026-07-28 that answers every question as a user and a model would. */
async function answeringClient(path: string): Promise<{ client: Client; asked: string[] }> {
  const asked: string[] = [];
  const client = new Client({ name: 'v2-client', version: '2.4.0' }, { capabilities: CAPABILITIES, versionNegotiation: { mode: 'auto' } });
  let names = 0;
  client.setRequestHandler('elicitation/create', (request): { action: 'accept'; content: Record<string, string | boolean> } => {
    if (request.params.message.startsWith('A batch of tool calls')) {
      asked.push('approval');
      return { action: 'accept', content: { approve: true } };
    }
    asked.push(`elicitation: ${request.params.message}`);
    return { action: 'accept', content: { name: ++names === 1 ? 'Ada' : 'Grace' } };
  });
  client.setRequestHandler('sampling/createMessage', () => {
    asked.push('sampling');
    return { model: 'test-model', role: 'assistant', content: { type: 'text', text: 'hi there' } };
  });
  client.setRequestHandler('roots/list', () => {
    asked.push('roots');
    return { roots: [{ uri: 'file:///work', name: 'work' }] };
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(path, harness.runtime.url), { requestInit: { headers: AUTH_HEADERS } }));
  expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
  clients.push(client);
  return { client, asked };
}

const textOf = (result: { content?: unknown }) => (result.content as { text: string }[])[0]!.text;

describe('a 2025 server asking a 2026-07-28 client', () => {
  it('reaches the client as input_required for each kind of question, and the call goes on with the answers', async () => {
    const { client, asked } = await answeringClient('/mcp/asking');
    expect(textOf(await client.callTool({ name: 'ask_name', arguments: {} }))).toBe('Hello Ada');
    expect(textOf(await client.callTool({ name: 'ask_llm', arguments: {} }))).toBe('LLM said hi there');
    expect(textOf(await client.callTool({ name: 'ask_roots', arguments: {} }))).toBe('roots file:///work');
    expect(asked).toEqual(['elicitation: Your name?', 'sampling', 'roots']);
  });

  it('asks questions that come together in one round, and questions that come after in another', async () => {
    const together = await answeringClient('/mcp/asking');
    expect(textOf(await together.client.callTool({ name: 'ask_all', arguments: {} }))).toBe('Ada | hi there | file:///work');
    expect([...together.asked].sort()).toEqual(['elicitation: Your name?', 'roots', 'sampling']);

    const rounds = await answeringClient('/mcp/asking');
    expect(textOf(await rounds.client.callTool({ name: 'ask_twice', arguments: {} }))).toBe('Ada and Grace');
    expect(rounds.asked).toEqual(['elicitation: First name?', 'elicitation: Second name?']);
  });

  it('works on the aggregate, with namespaced tools', async () => {
    const { client } = await answeringClient('/mcp');
    expect(textOf(await client.callTool({ name: 'asking__ask_name', arguments: {} }))).toBe('Hello Ada');
  });

  it('runs batch_execute for a 2026 client: its approval and a task’s question are asked through the batch call', async () => {
    harness.runtime.setMode('batch');
    try {
      const { client, asked } = await answeringClient('/mcp');
      const result = await client.callTool({
        name: 'batch_execute',
        arguments: {
          tasks: [
            { id: 'plain', tool: 'asking__count', arguments: { n: 3 } },
            { id: 'asks', tool: 'asking__ask_name', arguments: {} },
          ],
        },
      });
      const report = result.structuredContent as { status: string; tasks: { id: string; status: string; text?: string }[] };
      expect(report.status).toBe('succeeded');
      expect(report.tasks.map(({ id, status, text }) => ({ id, status, text }))).toEqual([
        { id: 'plain', status: 'succeeded', text: 'n is 3' },
        { id: 'asks', status: 'succeeded', text: 'Hello Ada' },
      ]);
      // The batch's approval is asked the same way, before the tasks run.
      expect(asked).toEqual(['approval', 'elicitation: Your name?']);
    } finally {
      harness.runtime.setMode('proxy');
    }
  });
});

/** A raw 2026 `tools/call` of `tool` at `path`, with extra params (a retry's answers and state). */
async function call(path: string, tool: string, extra: Record<string, unknown> = {}, capabilities: object = CAPABILITIES, token?: string) {
  const url = token ? harness.bareUrl(path) : harness.url(path);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': tool,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: Math.floor(Math.random() * 1e9),
      method: 'tools/call',
      params: {
        name: tool,
        arguments: {},
        _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': capabilities },
        ...extra,
      },
    }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { result?: Record<string, unknown>; error?: { code: number; message: string } },
  };
}

describe('what the bridge refuses', () => {
  it('refuses an altered requestState, and one given for another endpoint, key or tool', async () => {
    const first = await call('/mcp/asking', 'ask_name');
    expect(first.body.result).toMatchObject({
      resultType: 'input_required',
      inputRequests: { 'elicitation-1': { method: 'elicitation/create' } },
    });
    const state = first.body.result!.requestState as string;
    const answers = { inputResponses: { 'elicitation-1': { action: 'accept', content: { name: 'Eve' } } } };

    const altered = await call('/mcp/asking', 'ask_name', { ...answers, requestState: `${state.slice(0, -3)}AAA` });
    expect(altered).toMatchObject({ status: 400, body: { error: { code: -32602 } } });
    expect((await call('/mcp/other', 'ask_name', { ...answers, requestState: state })).body.error?.message).toMatch(/requestState/);
    const { token } = harness.runtime.tokens.createToken({ name: 'another-key', role: 'operator' });
    expect((await call('/mcp/asking', 'ask_name', { ...answers, requestState: state }, CAPABILITIES, token)).body.error?.code).toBe(-32602);
    expect((await call('/mcp/asking', 'ask_llm', { ...answers, requestState: state })).body.error?.message).toMatch(/another tools\/call/);

    // The state is still good for its own retry: none of the refusals took the call.
    const own = await call('/mcp/asking', 'ask_name', { ...answers, requestState: state });
    expect(own.body.result).toMatchObject({ resultType: 'complete', content: [{ text: 'Hello Eve' }] });
    expect((await call('/mcp/asking', 'ask_name', { ...answers, requestState: state })).body.error?.message).toMatch(/names no call/);
  });

  it('keys a question as the server named it, when it did', async () => {
    const first = await call('/mcp/asking', 'ask_keyed');
    expect(Object.keys(first.body.result!.inputRequests as object)).toEqual(['user_name']);
    const done = await call('/mcp/asking', 'ask_keyed', {
      inputResponses: { user_name: { action: 'accept', content: { name: 'Lin' } } },
      requestState: first.body.result!.requestState,
    });
    expect(done.body.result).toMatchObject({ content: [{ text: 'Hello Lin' }] });
  });

  it('asks again for what the retry did not answer', async () => {
    const first = await call('/mcp/asking', 'ask_name');
    const again = await call('/mcp/asking', 'ask_name', { inputResponses: { wrong: {} }, requestState: first.body.result!.requestState });
    expect(again.body.result).toMatchObject({ resultType: 'input_required', inputRequests: { 'elicitation-1': {} } });
    expect(again.body.result!.requestState).not.toBe(first.body.result!.requestState);
  });

  it('never asks a client what it did not declare: the server hears that no client can answer', async () => {
    // On a server no other client uses: the question has nobody else to go to.
    const answer = await call('/mcp/other', 'ask_llm', {}, { elicitation: {} });
    expect(answer.body.result).toMatchObject({
      resultType: 'complete',
      content: [{ text: expect.stringMatching(/^failed: .*sampling/) as unknown }],
    });
  });

  it('gives up on a client that does not come back: the question fails upstream, the state finds nothing', async () => {
    const logs = harness.runtime.supervisor.get('other')!.logs;
    const first = await call('/mcp/other', 'ask_name');
    expect(first.body.result).toMatchObject({ resultType: 'input_required' });
    await waitForLog(
      logs,
      (entry) => /^question failed: .*did not answer within the time MCP Orch waits for input/.test(entry.line),
      INPUT_WAIT_MS * 10,
    );
    const late = await call('/mcp/other', 'ask_name', {
      inputResponses: { 'elicitation-1': { action: 'decline' } },
      requestState: first.body.result!.requestState,
    });
    expect(late).toMatchObject({
      status: 400,
      body: { error: { code: -32602, message: expect.stringMatching(/expired|names no call/) as unknown } },
    });
  });
});
