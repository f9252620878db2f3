/**
 * Every operation of the contract through dispatch in-process, with no HTTP: the same walk as the
 * REST one (`http/rest-contract.integration.test.ts`), as the desktop app's IPC and the CLI reach
 * the operations. A valid call is answered with a value its output schema accepts; a malformed
 * input is refused naming the field; a viewer is refused what needs more; every mutating call is
 * audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathParamNames, type Operation } from '../../../shared/api/contract.js';
import type { OrchEvent } from '../../../shared/api/events.js';
import { operationList, operations, type OperationId } from '../../../shared/api/operations.js';
import type { Result } from '../../../shared/api/result.js';
import type { Principal } from '../auth/roles.js';
import { TEST_TOKEN, type Harness } from '../__fixtures__/runtime-harness.js';
import { malformedFields, requiredFields, startWalkHarness, validInputs } from './__fixtures__/contract-walk.js';

let harness: Harness;
let admin: Principal;
let viewer: Principal;
let restricted: Principal;

/** Mutating calls made by a principal with a role, by operation id: each must be audited. */
const audited = new Map<string, number>();

function principalOf(token: string): Principal {
  const result = harness.runtime.tokens.authenticate(token);
  if (!result.ok) throw new Error(`test token refused: ${result.error.message}`);
  return result.value;
}

async function dispatch(id: OperationId, input: unknown, principal: Principal = admin): Promise<Result> {
  if (operations[id].mutating) audited.set(id, (audited.get(id) ?? 0) + 1);
  return harness.runtime.operations.dispatch(id, input, principal);
}

function valueOf(result: Result): unknown {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

const VALID = validInputs(() => harness, {
  startRun: async (plan) => (valueOf(await dispatch('runs.create', { plan })) as { id: string }).id,
  config: async () => valueOf(await dispatch('config.get', {})) as { text: string; revision: string },
  connectClient: async (client) => void valueOf(await dispatch('clients.connect', { client, scope: 'servers' })),
});

beforeAll(async () => {
  harness = await startWalkHarness();
  admin = principalOf(TEST_TOKEN);
  viewer = principalOf(harness.runtime.tokens.createToken({ name: 'dispatch-viewer', role: 'viewer' }).token);
  restricted = principalOf(
    harness.runtime.tokens.createToken({ name: 'dispatch-echo-only', role: 'operator', allow: ['example__echo'] }).token,
  );
});

afterAll(async () => {
  await harness?.dispose();
});

describe.each(operationList.map((operation) => [operation.id, operation] as const))('%s', (id, operation: Operation) => {
  it('answers a valid call with a value its output schema accepts', async () => {
    const input = await VALID[id]();
    if (operation.stream) {
      const events: OrchEvent[] = [];
      const subscription = harness.runtime.operations.subscribe(viewer, (event) => events.push(event));
      if (!subscription.ok) throw new Error(subscription.error.message);
      try {
        await harness.runtime.hotReload.reload(JSON.stringify(harness.runtime.hotReload.config.file));
        expect(events.length).toBeGreaterThan(0);
        for (const event of events) operation.output.parse(event);
      } finally {
        subscription.value();
      }
      return;
    }
    const result = await dispatch(id, input);
    operation.output.parse(valueOf(result));
  });

  it('refuses malformed input, naming the field', async () => {
    const valid = await VALID[id]();
    for (const [field, value] of malformedFields(operation, valid, 'direct')) {
      const result = await dispatch(id, { ...valid, [field]: value });
      expect(result.ok, `${field}=${JSON.stringify(value).slice(0, 40)}`).toBe(false);
      if (result.ok) continue;
      expect(result.error.code).toBe('bad_request');
      expect(result.error.message).toMatch(new RegExp(`\\b${field}\\b`));
      expect(result.error.details).toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ path: field })]) as unknown });
    }
    const required = requiredFields(operation);
    if (!operation.stream && required.length > 0) {
      const params = Object.fromEntries(pathParamNames(operation.path).map((name) => [name, valid[name]]));
      const empty = await dispatch(id, params);
      expect(empty).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      for (const field of required) expect(empty.ok ? '' : empty.error.message).toContain(field);
    }
  });

  // Only operations above the viewer role refuse a viewer; the others have no such case.
  if (operation.role !== 'viewer') {
    it(`refuses a viewer (forbidden, naming the ${operation.role} role)`, async () => {
      const result = operation.stream
        ? harness.runtime.operations.subscribe(viewer, () => undefined)
        : await dispatch(id, await VALID[id](), viewer);
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'forbidden', message: expect.stringContaining(`needs the ${operation.role} role`) as unknown },
      });
    });
  }
});

describe('dispatch', () => {
  it('refuses a tool outside the key’s patterns, whatever its role allows', async () => {
    const outside = await dispatch('tools.call', { server: 'example', tool: 'add', arguments: { a: 1, b: 2 } }, restricted);
    expect(outside).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('example__add') as unknown } });
    const inside = await dispatch('tools.call', { server: 'example', tool: 'echo', arguments: { text: 'in' } }, restricted);
    expect(inside.ok).toBe(true);
  });

  it('answers an operation the contract does not have with not_found, and a stream with bad_request', async () => {
    expect(await harness.runtime.operations.dispatch('servers.explode' as OperationId, {}, admin)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await harness.runtime.operations.dispatch('constructor' as OperationId, {}, admin)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await harness.runtime.operations.dispatch('events.stream', {}, admin)).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
  });

  it('audited every mutating call of this file, refused or not, under the caller’s key', () => {
    harness.runtime.store.audit.flush();
    for (const [action, count] of audited) {
      const entries = harness.runtime.store.audit.list({ action, limit: 1000 }).items;
      expect(entries.length, action).toBe(count);
      expect(entries.every((entry) => typeof entry.keyName === 'string')).toBe(true);
    }
    const denied = harness.runtime.store.audit.list({ action: 'tools.call', outcome: 'denied', limit: 10 }).items;
    expect(denied.map((entry) => [entry.keyName, entry.target])).toContainEqual(['dispatch-echo-only', 'example__add']);
  });
});
