/**
 * `plan_and_execute` on the aggregated endpoint, end to end: real SDK clients over real HTTP, a real
 * daemon in batch mode with the batch fixture server as `a`, and `orch.planner` at a local endpoint
 * speaking Azure OpenAI's wire format. What the server did is read from what it recorded, in order.
 */
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ElicitRequestSchema,
  ToolListChangedNotificationSchema,
  type ElicitRequest,
  type Progress,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanToolAnswer } from '../planner/plan-tool.js';
import { USAGE, planReply, startPlannerDaemon, type PlannerDaemon } from '../planner/__fixtures__/planner-daemon.js';
import { pollFor } from '../__fixtures__/wait.js';
import { AUTH_HEADERS } from '../__fixtures__/runtime-harness.js';

interface CallResult {
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

let daemon: PlannerDaemon;
let client: Client;
const clients: Client[] = [];

/** An SDK client of `/mcp` with `token`. */
async function connectWith(token: string, capabilities: Record<string, unknown> = {}): Promise<Client> {
  const connected = new Client({ name: 'plan-test', version: '1.0.0' }, { capabilities });
  await connected.connect(
    new StreamableHTTPClientTransport(new URL('/mcp', daemon.harness.runtime.url), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  clients.push(connected);
  return connected;
}

function plan(
  on: Client,
  args: Record<string, unknown>,
  options: { onprogress?: (progress: Progress) => void; signal?: AbortSignal } = {},
): Promise<CallResult> {
  return on.callTool({ name: 'plan_and_execute', arguments: args }, undefined, options) as Promise<CallResult>;
}

function answerOf(result: CallResult): PlanToolAnswer {
  expect(result.isError, result.content[0]?.text).toBeFalsy();
  expect(JSON.parse(result.content[0]!.text!)).toEqual(result.structuredContent);
  return result.structuredContent as unknown as PlanToolAnswer;
}

async function toolNames(on: Client): Promise<string[]> {
  return (await on.listTools()).tools.map((tool) => tool.name);
}

async function serverEvents(): Promise<string[]> {
  return ((await client.callTool({ name: 'a__events', arguments: {} })) as CallResult).structuredContent!.events as string[];
}

const storedRun = (marker: string) => {
  const runs = daemon.harness.runtime.store.runs;
  return runs
    .list(50)
    .map((entry) => runs.get(entry.id)!)
    .find((run) => run.planning?.request.includes(marker));
};

const CHAIN = {
  tasks: [
    { id: 'e', tool: 'a__emit' },
    { id: 't', tool: 'a__typed', arguments: { count: '{{e.structuredContent.count}}' } },
  ],
};

beforeAll(async () => {
  daemon = await startPlannerDaemon();
  client = await daemon.harness.connectAggregate('streamable');
});

afterAll(async () => {
  await Promise.all(clients.map((connected) => connected.close().catch(() => undefined)));
  await daemon?.dispose();
});

describe('plan_and_execute', () => {
  it('is offered beside batch_execute, and runs a request: progress as tasks end, one compact report, a recorded run', async () => {
    expect(await toolNames(client)).toEqual(expect.arrayContaining(['batch_execute', 'plan_and_execute', 'a__emit']));
    daemon.answer('MCP-CHAIN', planReply(CHAIN));
    const progress: string[] = [];
    const answer = answerOf(
      await plan(
        client,
        { request: 'MCP-CHAIN: emit, then type the count' },
        { onprogress: (update) => progress.push(`${update.progress}/${update.total} ${update.message}`) },
      ),
    );
    expect(progress).toEqual(['1/2 e succeeded', '2/2 t succeeded']);
    expect(answer).toMatchObject({
      waves: [['e'], ['t']],
      planning: { inputTokens: USAGE.input, outputTokens: USAGE.output, cacheHit: false },
      report: { status: 'succeeded', output: ['t'] },
    });
    const tasks = answer.report!.tasks;
    // Only the result that answers the request comes back; "e" only fed "t".
    expect(tasks.find((task) => task.id === 'e')!.text).toBeUndefined();
    expect(tasks.find((task) => task.id === 't')!.structuredContent).toMatchObject({ received: { count: 3 } });

    const stored = storedRun('MCP-CHAIN')!;
    expect(stored).toMatchObject({ id: answer.report!.runId, source: 'plan_and_execute', status: 'succeeded', createdBy: '(bootstrap)' });
    expect(stored.planning).toMatchObject({
      request: 'MCP-CHAIN: emit, then type the count',
      inputTokens: USAGE.input,
      outputTokens: USAGE.output,
      cacheHit: false,
    });
    expect(stored.tasks.map((task) => [task.id, task.status])).toEqual([
      ['e', 'succeeded'],
      ['t', 'succeeded'],
    ]);
    daemon.harness.runtime.store.audit.flush();
    const audited = daemon.harness.runtime.store.audit.list({ action: 'plan_and_execute', target: stored.id }).items[0];
    expect(audited).toMatchObject({ outcome: 'ok' });
  });

  it('runs a request for a 2026-07-28 client (SDK v2), with progress and the same report', async () => {
    const modern = new ModernClient({ name: 'v2-plan', version: '2.4.0' }, { versionNegotiation: { mode: 'auto' } });
    await modern.connect(
      new ModernTransport(new URL('/mcp', daemon.harness.runtime.url), {
        requestInit: { headers: AUTH_HEADERS },
      }),
    );
    try {
      expect(modern.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      expect((await modern.listTools()).tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['plan_and_execute']));
      daemon.answer('MCP-MODERN', planReply(CHAIN));
      const progress: string[] = [];
      const result = (await modern.callTool(
        { name: 'plan_and_execute', arguments: { request: 'MCP-MODERN: emit, then type the count' } },
        { onprogress: (update) => progress.push(`${update.progress}/${update.total}`) },
      )) as CallResult & { resultType?: string };
      expect(progress).toEqual(['1/2', '2/2']);
      expect(answerOf(result)).toMatchObject({ waves: [['e'], ['t']], report: { status: 'succeeded', output: ['t'] } });
      expect(storedRun('MCP-MODERN')).toMatchObject({ source: 'plan_and_execute', status: 'succeeded' });
    } finally {
      await modern.close();
    }
  });

  it('answers the plan on a dry run, and runs nothing', async () => {
    daemon.answer('MCP-DRY', planReply({ tasks: [{ id: 'w', tool: 'a__write', arguments: { text: 'dry-write' } }] }));
    const answer = answerOf(await plan(client, { request: 'MCP-DRY: write a line', dryRun: true }));
    expect(answer).toMatchObject({ waves: [['w']], needsApproval: ['a__write'], plan: { tasks: [{ id: 'w', tool: 'a__write' }] } });
    expect(answer.report).toBeUndefined();
    expect(storedRun('MCP-DRY')).toBeUndefined();
    expect(await serverEvents()).not.toContain('write dry-write');
  });

  it('asks a client that supports elicitation before a tool that changes things, and runs it once accepted', async () => {
    const asking = await connectWith('test-admin-token-0123456789abcdef', { elicitation: {} });
    const asked: ElicitRequest[] = [];
    asking.setRequestHandler(ElicitRequestSchema, (request) => {
      asked.push(request);
      return { action: 'accept', content: { approve: true } };
    });
    daemon.answer('MCP-WRITE', planReply({ tasks: [{ id: 'w', tool: 'a__write', arguments: { text: 'planned-write' } }] }));
    const answer = answerOf(await plan(asking, { request: 'MCP-WRITE: write a line' }));
    expect(answer.report).toMatchObject({ status: 'succeeded' });
    expect(asked).toHaveLength(1);
    expect(asked[0]!.params.message).toContain('a__write');
    expect(await serverEvents()).toContain('write planned-write');
  });

  it('stops when the client cancels: the running call is cancelled on its server, the run recorded as cancelled', async () => {
    daemon.answer(
      'MCP-HOLD',
      planReply({
        tasks: [
          { id: 'hold', tool: 'a__block', arguments: { label: 'mcp-hold' } },
          { id: 'quick', tool: 'a__emit' },
        ],
      }),
    );
    const controller = new AbortController();
    const call = plan(
      client,
      { request: 'MCP-HOLD: block, and emit' },
      {
        signal: controller.signal,
        onprogress: (update) => {
          if (update.message === 'quick succeeded') controller.abort('enough');
        },
      },
    );
    await expect(call).rejects.toThrow();
    await pollFor('a saw the cancellation of mcp-hold', async () => {
      const cancelled = ((await client.callTool({ name: 'a__cancellations', arguments: {} })) as CallResult).structuredContent!
        .cancelled as { label: string }[];
      return cancelled.some((entry) => entry.label === 'mcp-hold');
    });
    await pollFor('the run was recorded as cancelled', () => storedRun('MCP-HOLD')?.status === 'cancelled');
    expect(storedRun('MCP-HOLD')!.tasks.map((task) => [task.id, task.status])).toEqual([
      ['hold', 'cancelled'],
      ['quick', 'succeeded'],
    ]);
  });

  it('starts a task before the plan is complete, and a client that cancels while the model is still answering stops both', async () => {
    // The stream stalls after its first half, which holds the whole of task "hold" and not the rest.
    const text = JSON.stringify({
      tasks: [
        { id: 'hold', tool: 'a__block', arguments: { label: 'stalled-hold' } },
        { id: 'pad', tool: 'a__typed', arguments: { count: 1, text: 'x'.repeat(300) } },
      ],
    });
    daemon.answer('MCP-STALL', { kind: 'stall', text });
    const controller = new AbortController();
    const call = plan(client, { request: 'MCP-STALL: block while you think' }, { signal: controller.signal });
    await pollFor('the first task started while the plan streamed', async () => (await serverEvents()).includes('start stalled-hold'));
    controller.abort('changed my mind');
    await expect(call).rejects.toThrow();
    await pollFor('a saw the cancellation of stalled-hold', async () => {
      const cancelled = ((await client.callTool({ name: 'a__cancellations', arguments: {} })) as CallResult).structuredContent!
        .cancelled as { label: string }[];
      return cancelled.some((entry) => entry.label === 'stalled-hold');
    });
    await pollFor('the model call was abandoned', () => daemon.seen('MCP-STALL')[0]?.closedEarly === true);
    // The plan never completed: no run is recorded.
    expect(storedRun('MCP-STALL')).toBeUndefined();
  });

  it('says why the planner failed: a provider that refuses the key', async () => {
    daemon.answer('MCP-401', { kind: 'status', status: 401 });
    const result = await plan(client, { request: 'MCP-401: anything' });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ error: { code: 'unauthorized' } });
    expect(result.content[0]!.text).toContain('HTTP 401');
  });

  it('refuses arguments without a request', async () => {
    const result = await plan(client, { dryRun: true });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toContain('request');
  });
});

describe('what a key may do', () => {
  it('plans over the tools the key may call: one its patterns deny is not in the catalog, and a plan using it is refused', async () => {
    const { token } = daemon.harness.runtime.tokens.createToken({ name: 'mcp-no-emit', role: 'operator', deny: ['a__emit'] });
    const restricted = await connectWith(token);
    const names = await toolNames(restricted);
    expect(names).toContain('plan_and_execute');
    expect(names).not.toContain('a__emit');
    daemon.answer('MCP-DENIED', planReply({ tasks: [{ id: 'e', tool: 'a__emit' }] }));
    const result = await plan(restricted, { request: 'MCP-DENIED: emit' });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ error: { code: 'invalid_plan' } });
    expect(result.content[0]!.text).toContain('a__emit');
    expect(JSON.stringify(daemon.seen('MCP-DENIED')[0]!.body)).not.toContain('a__emit');
    expect(storedRun('MCP-DENIED')).toBeUndefined();
  });

  it('is not offered to a viewer key', async () => {
    const { token } = daemon.harness.runtime.tokens.createToken({ name: 'mcp-viewer', role: 'viewer' });
    const viewer = await connectWith(token);
    expect(await toolNames(viewer)).not.toContain('plan_and_execute');
    await expect(plan(viewer, { request: 'MCP-CHAIN: emit' })).rejects.toThrow(/Unknown tool/);
  });
});

describe('the planner setting, reloaded', () => {
  it('withdraws plan_and_execute when orch.planner goes, and offers it again when it comes back, telling the client each time', async () => {
    const listening = await connectWith('test-admin-token-0123456789abcdef');
    let changed = 0;
    listening.setNotificationHandler(ToolListChangedNotificationSchema, () => void changed++);
    expect(await toolNames(listening)).toContain('plan_and_execute');
    const { file } = daemon.harness.runtime.hotReload.config;
    const { planner: _planner, ...orch } = file.orch ?? {};
    expect((await daemon.harness.runtime.hotReload.reload(JSON.stringify({ ...file, orch }))).ok).toBe(true);
    try {
      await pollFor('the client heard tools/list_changed', () => changed >= 1);
      const names = await toolNames(listening);
      expect(names).toContain('batch_execute');
      expect(names).not.toContain('plan_and_execute');
      await expect(plan(listening, { request: 'MCP-CHAIN: emit' })).rejects.toThrow(/Unknown tool/);
    } finally {
      expect((await daemon.harness.runtime.hotReload.reload(JSON.stringify(file))).ok).toBe(true);
    }
    await pollFor('the client heard tools/list_changed again', () => changed >= 2);
    expect(await toolNames(listening)).toContain('plan_and_execute');
  });
});
