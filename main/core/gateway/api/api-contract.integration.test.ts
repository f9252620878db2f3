/**
 * Every operation of the contract over real HTTP against a real daemon: refused without a token
 * (401), refused to a viewer when it needs more (403), answered with a body its output schema
 * accepts, and refusing malformed input with a 400 that names the field. Every mutating call made
 * here is then found in the audit log.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathParamNames, restInput, type Operation } from '../../../../shared/api/contract.js';
import { operationList, operations } from '../../../../shared/api/operations.js';
import { errorBodySchema } from '../../../../shared/api/operations/common.js';
import { TEST_TOKEN, exampleServer, fixtureServer, pollUntil, startHarness, type Harness } from '../../__fixtures__/runtime-harness.js';
import { callOperation, send, type ApiResponse } from './__fixtures__/api-client.js';

const BATCH_SERVER = new URL('../../batch/__fixtures__/batch-server.mjs', import.meta.url).pathname;
/** A run over the example server's read-only `echo`: needs no approval. */
const ECHO_PLAN = { tasks: [{ id: 'say', tool: 'example__echo', arguments: { text: 'walk' } }] };

let harness: Harness;
/** The HOME the daemon sees: the MCP clients' config files it connects and imports from live there. */
let clientHome: string;
let viewer: string;
let echoRun: Promise<string> | undefined;
let blockingRun: Promise<string> | undefined;

/** Starts a run over the API and answers its id. */
async function startRun(plan: unknown): Promise<string> {
  const response = await call(operations['runs.create'], { plan });
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  return (response.body as { id: string }).id;
}
/** Calls of mutating operations made with a valid token, by operation id: each must be audited. */
const audited = new Map<string, number>();
let keys = 0;

async function call(operation: Operation, input: Record<string, unknown>, token: string | null = TEST_TOKEN): Promise<ApiResponse> {
  const response = await callOperation(harness, operation, input, token);
  if (operation.mutating && token !== null && response.status !== 401) audited.set(operation.id, (audited.get(operation.id) ?? 0) + 1);
  return response;
}

/** A valid input of each operation (path parameters included), computed when its turn comes. */
const VALID: Record<string, () => Record<string, unknown> | Promise<Record<string, unknown>>> = {
  'servers.list': () => ({}),
  'servers.status': () => ({ name: 'example' }),
  'servers.start': () => ({ name: 'second' }),
  'servers.stop': () => ({ name: 'second' }),
  'servers.restart': () => ({ name: 'second' }),
  'servers.enable': () => ({ name: 'second' }),
  'servers.disable': () => ({ name: 'second' }),
  'servers.logs': () => ({ name: 'example', limit: 5 }),
  'tools.list': () => ({ server: 'example' }),
  'tools.enable': () => ({ server: 'example', tool: 'now' }),
  'tools.disable': () => ({ server: 'example', tool: 'now' }),
  'tools.call': () => ({ server: 'example', tool: 'echo', arguments: { text: 'walk' } }),
  'config.get': () => ({}),
  'config.validate': () => ({ text: '{ "mcpServers": {} }' }),
  'config.put': async () => {
    const current = (await call(operations['config.get'], {})).body as { text: string; revision: string };
    return { text: current.text, revision: current.revision };
  },
  'mode.get': () => ({}),
  'mode.set': () => ({ mode: 'batch' }),
  'runs.create': () => ({ plan: ECHO_PLAN }),
  'runs.dryRun': () => ({ plan: ECHO_PLAN }),
  'runs.list': () => ({ limit: 10 }),
  'runs.get': async () => ({ id: await (echoRun ??= startRun(ECHO_PLAN)) }),
  // A run that holds until cancelled, so the walk's cancel finds it running.
  'runs.cancel': async () => ({ id: await (blockingRun ??= startRun({ tasks: [{ id: 'hold', tool: 'batchy__block', arguments: { label: 'walk' } }] })) }),
  'calls.list': () => ({ limit: 10 }),
  'stats.get': () => ({}),
  'tokens.list': () => ({ all: true }),
  'tokens.create': () => ({ name: 'walk-created', role: 'viewer', allow: ['example__*'] }),
  'tokens.revoke': () => ({ id: harness.runtime.tokens.createToken({ name: `walk-revoked-${++keys}`, role: 'viewer' }).record.id }),
  'tokens.rotate': () => ({ id: harness.runtime.tokens.createToken({ name: `walk-rotated-${++keys}`, role: 'viewer' }).record.id, graceMs: 60_000 }),
  'audit.list': () => ({ limit: 5 }),
  'clientConfig.get': () => ({ client: 'cline', server: 'example' }),
  'metrics.processes': () => ({}),
  'metrics.series': () => ({ since: Date.now() - 3_600_000, bucketMs: 60_000 }),
  'clients.list': () => ({}),
  'clients.preview': () => ({ client: 'cline' }),
  'clients.connect': () => ({ client: 'cursor' }),
  // Each turn connects Windsurf first, so there is always a connect to undo.
  'clients.undo': async () => {
    const connected = await call(operations['clients.connect'], { client: 'windsurf', scope: 'servers' });
    expect(connected.status, JSON.stringify(connected.body)).toBe(200);
    return { client: 'windsurf' };
  },
  'import.scan': () => ({}),
  'import.apply': () => ({ servers: [{ client: 'claude-desktop', name: 'desktop-example', as: 'imported-example' }], dryRun: true }),
  'events.stream': () => ({}),
  'openapi.get': () => ({}),
};

/** Values that some field may refuse; body fields take any JSON, query fields only strings. */
const BODY_CANDIDATES: unknown[] = [{ not: ['a', 'string'] }, 'zz-not-valid', -1.5, 'x'.repeat(2_000_000), [1, 2]];
const QUERY_CANDIDATES = ['zz-not-valid', '-1.5', '0', 'x'.repeat(300)];

/** For each non-path field, a value the schema refuses at that field, if there is one. */
function malformedFields(operation: Operation, valid: Record<string, unknown>): [string, unknown][] {
  const pathNames = new Set(pathParamNames(operation.path));
  const found: [string, unknown][] = [];
  const body = operation.method === 'POST' || operation.method === 'PUT';
  for (const field of Object.keys(operation.input.shape)) {
    if (pathNames.has(field)) continue;
    for (const candidate of body ? BODY_CANDIDATES : QUERY_CANDIDATES) {
      const params = Object.fromEntries([...pathNames].map((name) => [name, String(valid[name])]));
      const rest = { ...valid, [field]: candidate };
      for (const name of pathNames) delete rest[name];
      const input = restInput(operation, body ? { params, query: {}, body: rest } : { params, query: rest as Record<string, string> });
      const result = operation.input.safeParse(input);
      if (!result.success && result.error.issues.some((issue) => issue.path[0] === field)) {
        found.push([field, candidate]);
        break;
      }
    }
  }
  return found;
}

/** Reads `/api/events` until one whole event has arrived; `trigger` runs once the stream is open. */
async function firstEvent(token: string, trigger: () => Promise<unknown>): Promise<{ status: number; type: string; event: string; data: string }> {
  const controller = new AbortController();
  const response = await fetch(harness.bareUrl('/api/events'), { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  const type = response.headers.get('content-type') ?? '';
  const reader = response.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const decoder = new TextDecoder();
  let buffer = '';
  let triggered = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended before an event; got: ${buffer}`);
      buffer += decoder.decode(value, { stream: true });
      if (!triggered) {
        triggered = true;
        await trigger();
      }
      for (const block of buffer.split('\n\n')) {
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (event && data) return { status: response.status, type, event, data };
      }
    }
  } finally {
    controller.abort();
  }
}

beforeAll(async () => {
  process.env.ORCH_API_TEST_SECRET = 'sekrit-from-the-environment';
  const secretive = exampleServer({ env: { API_KEY: 'sekrit-env-value' }, headers: { Authorization: 'Bearer sekrit-header' } });
  secretive.args = [...(secretive.args ?? []), '--token=${env:ORCH_API_TEST_SECRET}'];
  clientHome = await mkdtemp(join(tmpdir(), 'mcp-orch-home-'));
  const desktop = join(clientHome, '.config', 'Claude');
  await mkdir(desktop, { recursive: true });
  await writeFile(join(desktop, 'claude_desktop_config.json'), JSON.stringify({ mcpServers: { 'desktop-example': exampleServer() } }));
  const env = { ...process.env, MCP_ORCH_LOGIN_SHELL_PATH: '0', MCP_ORCH_TOKEN: TEST_TOKEN, MCP_ORCH_HOME: clientHome, HOME: clientHome, XDG_CONFIG_HOME: join(clientHome, '.config') };
  harness = await startHarness({ example: exampleServer(), second: exampleServer(), secretive, batchy: fixtureServer(BATCH_SERVER) }, { runtime: { env } });
  viewer = harness.runtime.tokens.createToken({ name: 'walk-viewer', role: 'viewer' }).token;
  // Runs name tools of the aggregate: wait until the catalogs they use are known.
  const known = () => new Set(harness.runtime.view.tools.map((tool) => tool.name));
  await pollUntil(() => known().has('example__echo') && known().has('batchy__block'), 'the example and batchy catalogs are known');
});

afterAll(async () => {
  await harness?.dispose();
  if (clientHome) await rm(clientHome, { recursive: true, force: true });
});

describe.each(operationList.map((operation) => [operation.id, operation] as const))('%s', (_id, operation) => {
  it('refuses a request without a token (401)', async () => {
    const input = await VALID[operation.id]!();
    const response = operation.stream ? await send(harness.bareUrl(operation.path), 'GET', {}) : await call(operation, input, null);
    expect(response.status).toBe(401);
    expect(errorBodySchema.parse(response.body).error.code).toBe('unauthorized');
  });

  it.skipIf(operation.role === 'viewer')(`refuses a viewer key (403 naming the ${operation.role} role)`, async () => {
    const response = await call(operation, await VALID[operation.id]!(), viewer);
    expect(response.status).toBe(403);
    const body = errorBodySchema.parse(response.body);
    expect(body.error.code).toBe('forbidden');
    expect(body.error.message).toContain(`needs the ${operation.role} role`);
  });

  it('answers a valid call with a body its output schema accepts', async () => {
    const input = await VALID[operation.id]!();
    if (operation.stream === 'sse') {
      const { file } = harness.runtime.reload.config;
      const first = await firstEvent(viewer, () => harness.runtime.reload.reload(JSON.stringify(file)));
      expect(first.status).toBe(200);
      expect(first.type).toBe('text/event-stream');
      const event = operation.output.parse(JSON.parse(first.data)) as { type: string };
      expect(event.type).toBe(first.event);
      return;
    }
    const response = await call(operation, input);
    expect(response.status, JSON.stringify(response.body)).toBe(operation.status ?? 200);
    operation.output.parse(response.body);
  });

  it('refuses malformed input with a 400 naming the field', async () => {
    const valid = await VALID[operation.id]!();
    const cases = malformedFields(operation, valid);
    for (const [field, value] of cases) {
      const response = await call(operation, { ...valid, [field]: value });
      expect(response.status, `${field}=${JSON.stringify(value).slice(0, 40)}`).toBe(400);
      const body = errorBodySchema.parse(response.body);
      expect(body.error.message).toMatch(new RegExp(`\\b${field}\\b`));
      expect(body.error.details).toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ path: field })]) as unknown });
    }
    if (operation.method === 'POST' || operation.method === 'PUT') {
      const shape = operation.input.shape as Record<string, { safeParse(value: unknown): { success: boolean } }>;
      const required = Object.keys(shape).filter((field) => !pathParamNames(operation.path).includes(field) && !shape[field]!.safeParse(undefined).success);
      if (required.length > 0 || operation.id.startsWith('runs.') && !operation.id.endsWith('cancel')) {
        const params = Object.fromEntries(pathParamNames(operation.path).map((name) => [name, valid[name]]));
        const empty = await call(operation, params);
        expect(empty.status).toBe(400);
        const message = errorBodySchema.parse(empty.body).error.message;
        for (const field of required.length ? required : ['plan']) expect(message).toContain(field);
      }
    }
  });
});

describe('the router', () => {
  const auth = { authorization: `Bearer ${TEST_TOKEN}` };

  it('answers an unknown /api path with a JSON 404 and a known path with another method with 405 and Allow', async () => {
    const unknown = await send(harness.bareUrl('/api/nothing/here'), 'GET', auth);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'not_found' } });
    const wrong = await send(harness.bareUrl('/api/servers/example'), 'DELETE', auth);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
  });

  it('refuses a body that is not JSON, not UTF-8, too deep or too large', async () => {
    const url = harness.bareUrl('/api/config/validate');
    audited.set('config.validate', (audited.get('config.validate') ?? 0) + 5);
    const text = await send(url, 'POST', { ...auth, 'content-type': 'text/plain' }, 'hello');
    expect(text.status).toBe(415);
    const broken = await send(url, 'POST', { ...auth, 'content-type': 'application/json' }, '{"text": ');
    expect(broken).toMatchObject({ status: 400, body: { error: { code: 'bad_request', message: expect.stringContaining('not valid JSON') as unknown } } });
    const deep = await send(url, 'POST', { ...auth, 'content-type': 'application/json' }, `${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    expect(deep.status).toBe(400);
    const big = await send(url, 'POST', { ...auth, 'content-type': 'application/json' }, JSON.stringify({ text: 'x'.repeat(5 * 1024 * 1024) }));
    expect(big).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    const bytes = await fetch(url, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) });
    expect(bytes.status).toBe(400);
  });

  it('masks env and header values of a server and never lists a secret', async () => {
    const status = await call(operations['servers.status'], { name: 'secretive' });
    expect(status.status).toBe(200);
    const detail = operations['servers.status'].output.parse(status.body);
    expect(detail.config.env).toEqual({ API_KEY: '••••' });
    expect(detail.config.headers).toEqual({ Authorization: '••••' });
    expect(detail.config.args.at(-1)).toBe('--token=${env:ORCH_API_TEST_SECRET}');
    expect(JSON.stringify(status.body)).not.toMatch(/sekrit/);
    const list = await call(operations['servers.list'], {});
    expect(JSON.stringify(list.body)).not.toMatch(/sekrit/);
    const keys = await call(operations['tokens.list'], { all: true });
    expect(JSON.stringify(keys.body)).not.toMatch(/mo_[A-Za-z0-9_-]{43}/);
  });

  it('kept the mode set over the API in orch.mode of the config file', async () => {
    expect(JSON.parse(await readFile(harness.configPath, 'utf8'))).toMatchObject({ orch: { mode: 'batch' } });
    expect((await call(operations['mode.get'], {})).body).toEqual({ mode: 'batch' });
  });

  it('wrote an audit entry for every mutating call of this file', async () => {
    harness.runtime.store.audit.flush();
    for (const [action, count] of audited) {
      const entries = harness.runtime.store.audit.list({ action, limit: 1000 }).items;
      expect(entries.length, action).toBe(count);
      expect(JSON.stringify(entries)).not.toMatch(/mo_[A-Za-z0-9_-]{43}/);
    }
    const listed = await send(harness.bareUrl('/api/audit?action=tokens.*&limit=50'), 'GET', auth);
    expect((listed.body as { items: unknown[] }).items.length).toBe([...audited].filter(([action]) => action.startsWith('tokens.')).reduce((sum, [, n]) => sum + n, 0));
  });
});
