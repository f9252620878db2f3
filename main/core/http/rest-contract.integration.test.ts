/**
 * Every operation of the contract over real HTTP against a real daemon: refused without a token
 * (401), refused to a viewer when it needs more (403), answered with a body its output schema
 * accepts, and refusing malformed input with a 400 that names the field. Every mutating call made
 * here is then found in the audit log. The same walk runs in-process through dispatch in
 * `operations/create-dispatcher.integration.test.ts`.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathParamNames, type Operation } from '../../../shared/api/contract.js';
import { operationList, operations } from '../../../shared/api/operations.js';
import { errorBodySchema } from '../../../shared/api/operations/common.js';
import { TEST_TOKEN, type Harness } from '../__fixtures__/runtime-harness.js';
import { malformedFields, requiredFields, startWalkHarness, validInputs } from '../operations/__fixtures__/contract-walk.js';
import { callOperation, send, type ApiResponse } from './__fixtures__/rest-client.js';

let harness: Harness;
let viewer: string;

/** Calls of mutating operations made with a valid token, by operation id: each must be audited. */
const audited = new Map<string, number>();

async function call(operation: Operation, input: Record<string, unknown>, token: string | null = TEST_TOKEN): Promise<ApiResponse> {
  const response = await callOperation(harness, operation, input, token);
  if (operation.mutating && token !== null && response.status !== 401) audited.set(operation.id, (audited.get(operation.id) ?? 0) + 1);
  return response;
}

const VALID = validInputs(() => harness, {
  async startRun(plan) {
    const response = await call(operations['runs.create'], { plan });
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    return (response.body as { id: string }).id;
  },
  async config() {
    const current = (await call(operations['config.get'], {})).body as { text: string; revision: string };
    return { text: current.text, revision: current.revision };
  },
  async connectClient(client) {
    const connected = await call(operations['clients.connect'], { client, scope: 'servers' });
    expect(connected.status, JSON.stringify(connected.body)).toBe(200);
  },
});

/** Reads `/api/events` until one whole event has arrived; `trigger` runs once the stream is open. */
async function firstEvent(
  token: string,
  trigger: () => Promise<unknown>,
): Promise<{ status: number; type: string; event: string; data: string }> {
  const controller = new AbortController();
  const response = await fetch(harness.bareUrl('/api/events'), {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
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
  harness = await startWalkHarness();
  viewer = harness.runtime.tokens.createToken({ name: 'walk-viewer', role: 'viewer' }).token;
});

afterAll(async () => {
  await harness?.dispose();
});

describe.each(operationList.map((operation) => [operation.id, operation] as const))('%s', (_id, operation) => {
  it('refuses a request without a token (401)', async () => {
    const input = await VALID[operation.id]();
    const response = operation.stream ? await send(harness.bareUrl(operation.path), 'GET', {}) : await call(operation, input, null);
    expect(response.status).toBe(401);
    expect(errorBodySchema.parse(response.body).error.code).toBe('unauthorized');
  });

  // Only operations above the viewer role refuse a viewer; the others have no such case.
  if (operation.role !== 'viewer') {
    it(`refuses a viewer key (403 naming the ${operation.role} role)`, async () => {
      const response = await call(operation, await VALID[operation.id](), viewer);
      expect(response.status).toBe(403);
      const body = errorBodySchema.parse(response.body);
      expect(body.error.code).toBe('forbidden');
      expect(body.error.message).toContain(`needs the ${operation.role} role`);
    });
  }

  it('answers a valid call with a body its output schema accepts', async () => {
    const input = await VALID[operation.id]();
    if (operation.stream === 'sse') {
      const { file } = harness.runtime.hotReload.config;
      const first = await firstEvent(viewer, () => harness.runtime.hotReload.reload(JSON.stringify(file)));
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
    const valid = await VALID[operation.id]();
    const cases = malformedFields(operation, valid, 'rest');
    for (const [field, value] of cases) {
      const response = await call(operation, { ...valid, [field]: value });
      expect(response.status, `${field}=${JSON.stringify(value).slice(0, 40)}`).toBe(400);
      const body = errorBodySchema.parse(response.body);
      expect(body.error.message).toMatch(new RegExp(`\\b${field}\\b`));
      expect(body.error.details).toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ path: field })]) as unknown });
    }
    if (operation.method === 'POST' || operation.method === 'PUT') {
      const required = requiredFields(operation);
      if (required.length > 0 || (operation.id.startsWith('runs.') && !operation.id.endsWith('cancel'))) {
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
    expect(broken).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request', message: expect.stringContaining('not valid JSON') as unknown } },
    });
    const deep = await send(url, 'POST', { ...auth, 'content-type': 'application/json' }, `${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    expect(deep.status).toBe(400);
    const big = await send(
      url,
      'POST',
      { ...auth, 'content-type': 'application/json' },
      JSON.stringify({ text: 'x'.repeat(5 * 1024 * 1024) }),
    );
    expect(big).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    const bytes = await fetch(url, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    });
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
    expect((listed.body as { items: unknown[] }).items.length).toBe(
      [...audited].filter(([action]) => action.startsWith('tokens.')).reduce((sum, [, n]) => sum + n, 0),
    );
  });
});
