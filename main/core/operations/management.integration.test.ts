/**
 * Who may manage servers and tools (docs/auth.md): rewriting the config file (enable, disable, the
 * mode) needs an admin; starting, stopping and restarting a server needs an operator allowed every
 * tool of that server, so a key restricted to one tool cannot take the server away from everyone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationId } from '../../../shared/api/operations.js';
import type { Result } from '../../../shared/api/result.js';
import type { Principal } from '../auth/roles.js';
import { exampleServer, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';
import { pollFor } from '../__fixtures__/wait.js';

let harness: Harness;
let echoOnly: Principal;
let wholeServer: Principal;

function principalOf(name: string, allow: string[], role: 'operator' | 'admin' = 'operator'): Principal {
  const result = harness.runtime.tokens.authenticate(harness.runtime.tokens.createToken({ name, role, allow }).token);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const dispatch = (id: OperationId, input: unknown, principal: Principal): Promise<Result> =>
  harness.runtime.operations.dispatch(id, input, principal);

beforeAll(async () => {
  harness = await startHarness({ example: exampleServer() });
  await pollFor('the example catalog', () => (harness.runtime.registry.catalog('example')?.tools.length ?? 0) > 0);
  echoOnly = principalOf('echo-only', ['example__echo']);
  wholeServer = principalOf('whole-server', ['example__*']);
});

afterAll(async () => {
  await harness?.dispose();
});

describe('managing servers and tools', () => {
  it('refuses a key limited to one tool of a server to stop or restart it, naming what it may not use', async () => {
    for (const id of ['servers.stop', 'servers.restart', 'servers.start'] as const) {
      const result = await dispatch(id, { name: 'example' }, echoOnly);
      expect(result, id).toMatchObject({
        ok: false,
        error: { code: 'forbidden', message: expect.stringContaining('example__add') as unknown },
      });
    }
    expect(harness.runtime.supervisor.get('example')?.state).toBe('running');
  });

  it('lets an operator allowed every tool of the server restart it', async () => {
    const result = await dispatch('servers.restart', { name: 'example' }, wholeServer);
    expect(result).toMatchObject({ ok: true, value: { name: 'example', state: 'running' } });
  });

  it('keeps enabling and disabling tools and servers, and the mode, to admins', async () => {
    for (const [id, input] of [
      ['tools.enable', { server: 'example', tool: 'echo' }],
      ['tools.disable', { server: 'example', tool: 'add' }],
      ['servers.disable', { name: 'example' }],
      ['servers.enable', { name: 'example' }],
      ['mode.set', { mode: 'batch' }],
    ] as const) {
      const result = await dispatch(id, input, wholeServer);
      expect(result, id).toMatchObject({
        ok: false,
        error: { code: 'forbidden', message: expect.stringContaining('needs the admin role') as unknown },
      });
    }
    expect(harness.runtime.hotReload.config.orch.disabledTools).toEqual({});
  });

  it('audits every refusal as denied', () => {
    harness.runtime.store.audit.flush();
    const denied = harness.runtime.store.audit
      .list({ keyName: 'echo-only', outcome: 'denied', limit: 10 })
      .items.map((entry) => entry.action);
    expect(denied.sort()).toEqual(['servers.restart', 'servers.start', 'servers.stop']);
  });
});
