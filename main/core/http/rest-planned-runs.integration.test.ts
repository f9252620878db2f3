/**
 * `POST /api/runs {request}` and `POST /api/runs/dry-run {request}` over real HTTP against a real
 * daemon whose `orch.planner` is Azure OpenAI at a local endpoint speaking its wire format, with
 * the batch fixture server as `a`: the run is planned, recorded with its planning figures, run,
 * read back, cached, refused when a key may not call what the model planned or nobody can approve
 * it, cancelled, and every failure of the planner becomes a clear API error.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { operations } from '../../../shared/api/operations.js';
import { callOperation, type ApiResponse } from './__fixtures__/rest-client.js';
import { PLANNER_KEY, USAGE, planReply, startPlannerDaemon, type PlannerDaemon } from '../planner/__fixtures__/planner-daemon.js';
import { pollFor } from '../__fixtures__/wait.js';

type RunBody = ReturnType<(typeof operations)['runs.get']['output']['parse']>;
type Stats = ReturnType<(typeof operations)['stats.get']['output']['parse']>;

let daemon: PlannerDaemon;

const call = (id: keyof typeof operations, input: Record<string, unknown>, token?: string): Promise<ApiResponse> =>
  callOperation(daemon.harness, operations[id], input, token);

async function ended(id: string, token?: string): Promise<RunBody> {
  return pollFor(`run ${id} ended`, async () => {
    const run = (await call('runs.get', { id }, token)).body as RunBody;
    return run.status === 'running' ? undefined : run;
  });
}

/** Calls a tool of the fixture server `a` directly; answers its structured content. */
async function fixtureTool(tool: string): Promise<unknown> {
  const response = await call('tools.call', { server: 'a', tool, arguments: {} });
  return (response.body as { result: { structuredContent?: unknown } }).result.structuredContent;
}

/** What `a` recorded, in order: `start <label>`, `write <text>`… */
async function serverEvents(): Promise<string[]> {
  return ((await fixtureTool('events')) as { events: string[] }).events;
}

const CHAIN = {
  tasks: [
    { id: 'e', tool: 'a__emit' },
    { id: 't', tool: 'a__typed', arguments: { count: '{{e.structuredContent.count}}' } },
  ],
};

/** What the daemon logged of the provider's warnings. */
const warnings: string[] = [];

beforeAll(async () => {
  daemon = await startPlannerDaemon({ runtime: { planner: { onWarning: (message) => void warnings.push(message) } } });
});

afterAll(async () => {
  await daemon?.dispose();
});

describe('a run from a request', () => {
  it('is planned, recorded with its request and planning figures, run, and read back', async () => {
    daemon.answer('CHAIN-ONE', planReply(CHAIN));
    const created = await call('runs.create', { request: 'CHAIN-ONE: emit, then type the count' });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const started = created.body as RunBody;
    expect(started).toMatchObject({
      source: 'api',
      request: 'CHAIN-ONE: emit, then type the count',
      planning: { inputTokens: USAGE.input, outputTokens: USAGE.output, cacheHit: false },
    });
    expect(started.tasks.map((task) => [task.id, task.tool, task.wave])).toEqual([
      ['e', 'a__emit', 0],
      ['t', 'a__typed', 1],
    ]);
    // The provider's wire format, with the key from the daemon's environment.
    const [seen] = daemon.seen('CHAIN-ONE');
    expect(seen).toMatchObject({ method: 'POST', headers: { 'api-key': PLANNER_KEY } });
    expect(seen!.path).toMatch(/^\/openai\/.*chat\/completions/);

    const run = await ended(started.id);
    expect(run.status).toBe('succeeded');
    expect(run.planning!.planningMs).toBeGreaterThan(0);
    expect(run.planning!.firstCallMs).toBeGreaterThanOrEqual(0);
    expect(run.tasks.find((task) => task.id === 't')!.result!.structuredContent).toMatchObject({ received: { count: 3 } });
    // The intermediate result is stored too, though it only fed "t".
    expect(run.tasks.find((task) => task.id === 'e')!.result!.structuredContent).toMatchObject({ count: 3 });

    const list = (await call('runs.list', {})).body as { items: { id: string; request?: string; planning?: unknown }[] };
    expect(list.items.find((item) => item.id === started.id)).toMatchObject({
      request: 'CHAIN-ONE: emit, then type the count',
      planning: { cacheHit: false, inputTokens: USAGE.input },
    });
  });

  it('takes the plan from the cache for the same request, and the stats count the hit', async () => {
    daemon.answer('CHAIN-TWO', planReply(CHAIN));
    const before = (await call('stats.get', {})).body as Stats;
    const first = (await call('runs.create', { request: 'CHAIN-TWO: emit, then type the count' })).body as RunBody;
    // Spaces are not part of the request's meaning.
    const second = await call('runs.create', { request: '  CHAIN-TWO:   emit, then type the count ' });
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({ planning: { cacheHit: true, inputTokens: 0, outputTokens: 0 } });
    expect(daemon.seen('CHAIN-TWO')).toHaveLength(1);
    expect((await ended((second.body as RunBody).id)).status).toBe('succeeded');
    await ended(first.id);

    const after = (await call('stats.get', {})).body as Stats;
    expect(after.planner.cacheHits).toBe(before.planner.cacheHits + 1);
    expect(after.planner.cacheMisses).toBe(before.planner.cacheMisses + 1);
    expect(after.planner.runs).toBe(before.planner.runs + 2);
    expect(after.planner.inputTokens).toBe(before.planner.inputTokens + USAGE.input);
    expect(after.planner.cachedPlans).toBeGreaterThanOrEqual(1);
  });

  it('previews the plan on a dry run, and records nothing', async () => {
    daemon.answer(
      'CHAIN-DRY',
      planReply({ tasks: [...CHAIN.tasks, { id: 'w', tool: 'a__write', arguments: { text: 'x' }, dependsOn: ['t'] }] }),
    );
    const runs = (await call('runs.list', {})).body as { items: unknown[] };
    const preview = await call('runs.dryRun', { request: 'CHAIN-DRY: emit, type the count, write it' });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({
      valid: true,
      waves: [['e'], ['t'], ['w']],
      problems: [],
      needsApproval: ['a__write'],
      planning: { cacheHit: false, inputTokens: USAGE.input, outputTokens: USAGE.output },
      plan: { tasks: [{ id: 'e' }, { id: 't' }, { id: 'w' }], output: ['w'] },
    });
    expect(((await call('runs.list', {})).body as { items: unknown[] }).items).toHaveLength(runs.items.length);
    expect(await serverEvents()).not.toContain('write x');
  });

  it('refuses a plan with tools nobody can approve here, naming them, and records no run', async () => {
    daemon.answer('WRITE-IT', planReply({ tasks: [{ id: 'w', tool: 'a__write', arguments: { text: 'from a request' } }] }));
    const runs = (await call('runs.list', {})).body as { items: unknown[] };
    const refused = await call('runs.create', { request: 'WRITE-IT: write a line' });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden', details: { needsApproval: ['a__write'] } } } });
    expect((refused.body as { error: { message: string } }).error.message).toContain('autoApprove');
    expect(((await call('runs.list', {})).body as { items: unknown[] }).items).toHaveLength(runs.items.length);
  });

  it('cancels a planned run with runs.cancel: the running call is cancelled on its server', async () => {
    daemon.answer('HOLD-ON', planReply({ tasks: [{ id: 'hold', tool: 'a__block', arguments: { label: 'planned-hold' } }] }));
    const created = (await call('runs.create', { request: 'HOLD-ON: block until cancelled' })).body as RunBody;
    expect(created.status).toBe('running');
    expect((await call('runs.cancel', { id: created.id })).status).toBe(200);
    const run = await ended(created.id);
    expect(run).toMatchObject({ status: 'cancelled', tasks: [{ id: 'hold', status: 'cancelled' }] });
    await pollFor('a saw the cancellation', async () =>
      JSON.stringify(await fixtureTool('cancellations')).includes('planned-hold') ? true : undefined,
    );
  });
});

describe('what a key may do', () => {
  it('plans over the tools the key may call only: a tool its patterns deny is refused', async () => {
    const { token } = daemon.harness.runtime.tokens.createToken({ name: 'no-emit', role: 'operator', deny: ['a__emit'] });
    daemon.answer('DENIED-EMIT', planReply({ tasks: [{ id: 'e', tool: 'a__emit' }] }));
    const refused = await call('runs.create', { request: 'DENIED-EMIT: emit' }, token);
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'bad_request', details: { plannerError: 'invalid_plan' } } } });
    expect(JSON.stringify((refused.body as { error: unknown }).error)).toContain('a__emit');
    // The model never saw the tool: the catalog it got was the key's.
    const [first] = daemon.seen('DENIED-EMIT');
    expect(JSON.stringify(first!.body)).not.toContain('a__emit');
    expect(JSON.stringify(first!.body)).toContain('a__typed');
  });

  it("shows a key its own planned runs and planning tokens, not another key's", async () => {
    const mine = daemon.harness.runtime.tokens.createToken({ name: 'planner-mine', role: 'operator' }).token;
    const other = daemon.harness.runtime.tokens.createToken({ name: 'planner-other', role: 'operator' }).token;
    daemon.answer('MINE-ONLY', planReply(CHAIN));
    const created = await call('runs.create', { request: 'MINE-ONLY: emit, then type the count' }, mine);
    expect(created.status).toBe(202);
    const id = (created.body as RunBody).id;
    expect((await ended(id, mine)).createdBy).toBe('planner-mine');
    expect((await call('runs.get', { id }, other)).status).toBe(404);
    const theirs = (await call('stats.get', {}, other)).body as Stats;
    expect(theirs.planner).toMatchObject({ runs: 0, inputTokens: 0, outputTokens: 0 });
    const own = (await call('stats.get', {}, mine)).body as Stats;
    expect(own.planner).toMatchObject({ runs: 1, inputTokens: USAGE.input, outputTokens: USAGE.output });
  });
});

describe('when the planner cannot plan', () => {
  it.each([
    [500, 503, 'server_unavailable', 'provider_error'],
    [401, 503, 'server_unavailable', 'unauthorized'],
    [429, 429, 'rate_limited', 'rate_limited'],
  ])('maps a provider %i to %i %s', async (providerStatus, status, code, plannerError) => {
    const marker = `PROVIDER-${providerStatus}`;
    daemon.answer(marker, { kind: 'status', status: providerStatus });
    const runs = (await call('runs.list', {})).body as { items: unknown[] };
    const failed = await call('runs.create', { request: `${marker}: anything` });
    expect(failed).toMatchObject({ status, body: { error: { code, details: { plannerError } } } });
    expect((failed.body as { error: { message: string } }).error.message).toContain(`HTTP ${providerStatus}`);
    expect(((await call('runs.list', {})).body as { items: unknown[] }).items).toHaveLength(runs.items.length);
    expect((await call('runs.dryRun', { request: `${marker}: anything` })).status).toBe(status);
  });

  it('answers 504 when the model does not finish within orch.planner.timeout, and abandons the call', async () => {
    const { file } = daemon.harness.runtime.hotReload.config;
    expect(
      (
        await daemon.harness.runtime.hotReload.reload(
          JSON.stringify({ ...file, orch: { ...file.orch, planner: daemon.plannerConfig({ timeout: 0.2 }) } }),
        )
      ).ok,
    ).toBe(true);
    try {
      daemon.answer('STALLED', { kind: 'stall', text: JSON.stringify(CHAIN) });
      for (const id of ['runs.create', 'runs.dryRun'] as const) {
        const timedOut = await call(id, { request: 'STALLED: emit, then type the count' });
        expect(timedOut).toMatchObject({ status: 504, body: { error: { code: 'timeout', details: { plannerError: 'timeout' } } } });
      }
      await pollFor('both model calls were abandoned', () =>
        daemon.seen('STALLED').every((request) => request.closedEarly) ? true : undefined,
      );
    } finally {
      await daemon.harness.runtime.hotReload.reload(JSON.stringify(file));
    }
  });

  it('names the credential to set when it is missing, and plans once it is set', async () => {
    const { file } = daemon.harness.runtime.hotReload.config;
    const reloaded = await daemon.harness.runtime.hotReload.reload(
      JSON.stringify({ ...file, orch: { ...file.orch, planner: daemon.plannerConfig({ apiKey: '${secret:PLANNER_SECRET}' }) } }),
    );
    expect(reloaded.ok).toBe(true);
    try {
      daemon.answer('AFTER-SECRET', planReply(CHAIN));
      const missing = await call('runs.create', { request: 'AFTER-SECRET: emit, then type the count' });
      expect(missing).toMatchObject({
        status: 400,
        body: { error: { code: 'invalid_config', details: { plannerError: 'missing_credential' } } },
      });
      expect((missing.body as { error: { message: string } }).error.message).toMatch(
        /orch\.planner\.apiKey needs a credential: .*PLANNER_SECRET/,
      );
      expect((await call('runs.dryRun', { request: 'AFTER-SECRET: emit' })).status).toBe(400);
      expect(daemon.seen('AFTER-SECRET')).toHaveLength(0);

      expect((await call('secrets.set', { name: 'PLANNER_SECRET', value: 'from-the-secret-store' })).status).toBe(200);
      const planned = await call('runs.create', { request: 'AFTER-SECRET: emit, then type the count' });
      expect(planned.status, JSON.stringify(planned.body)).toBe(202);
      expect(daemon.seen('AFTER-SECRET')[0]!.headers['api-key']).toBe('from-the-secret-store');
      await ended((planned.body as RunBody).id);
    } finally {
      await daemon.harness.runtime.hotReload.reload(JSON.stringify(file));
    }
  });

  it('answers 400 naming orch.planner once the planner is removed from the config', async () => {
    const { file } = daemon.harness.runtime.hotReload.config;
    const { planner: _planner, ...orch } = file.orch ?? {};
    expect((await daemon.harness.runtime.hotReload.reload(JSON.stringify({ ...file, orch }))).ok).toBe(true);
    try {
      for (const id of ['runs.create', 'runs.dryRun'] as const) {
        const refused = await call(id, { request: 'CHAIN-ONE: emit, then type the count' });
        expect(refused).toMatchObject({
          status: 400,
          body: { error: { code: 'invalid_config', details: { plannerError: 'not_configured' } } },
        });
        expect((refused.body as { error: { message: string } }).error.message).toContain('orch.planner');
      }
    } finally {
      await daemon.harness.runtime.hotReload.reload(JSON.stringify(file));
    }
  });
});

describe("the provider's warnings", () => {
  it('go to the daemon log, each once, and never to the console', async () => {
    const { file } = daemon.harness.runtime.hotReload.config;
    // A reasoning model takes no temperature: the provider warns that it ignores the setting.
    expect(
      (
        await daemon.harness.runtime.hotReload.reload(
          JSON.stringify({ ...file, orch: { ...file.orch, planner: daemon.plannerConfig({ model: 'o3-mini' }) } }),
        )
      ).ok,
    ).toBe(true);
    const printed = (['log', 'info', 'warn', 'error'] as const).map((method) => vi.spyOn(console, method));
    try {
      daemon.answer('WARNED', planReply(CHAIN));
      for (const request of ['WARNED: emit, then type the count', 'WARNED: emit and type again']) {
        expect((await call('runs.dryRun', { request })).status).toBe(200);
      }
      expect(daemon.seen('WARNED')).toHaveLength(2);
      expect(warnings).toEqual(['azure (o3-mini): "temperature" is not supported (temperature is not supported for reasoning models)']);
      for (const spy of printed) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of printed) spy.mockRestore();
      await daemon.harness.runtime.hotReload.reload(JSON.stringify(file));
    }
  });
});
