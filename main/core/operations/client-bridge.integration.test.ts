/**
 * The typed client over the bridge (`window.orch`'s shape) wired to the dispatch of a real core, in
 * process: what the desktop window does through IPC, without Electron.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeTransport } from '../../../shared/api/bridge.js';
import { createClient, type OrchClient } from '../../../shared/api/client.js';
import type { OrchEvent } from '../../../shared/api/events.js';
import { localPrincipal } from '../auth/roles.js';
import { exampleServer, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';
import { dispatcherBridge } from './dispatcher-bridge.js';

let harness: Harness;
let client: OrchClient;

beforeAll(async () => {
  harness = await startHarness({ example: exampleServer() });
  client = createClient(bridgeTransport(dispatcherBridge(harness.runtime.operations, localPrincipal('desktop'))));
});

afterAll(async () => {
  await harness?.dispose();
});

describe('the typed client over a bridge to dispatch', () => {
  it('runs operations as the local admin, audited under its name', async () => {
    const { result } = await client.tools.call({ server: 'example', tool: 'echo', arguments: { text: 'over the bridge' } });
    expect(result.content).toEqual([{ type: 'text', text: 'over the bridge' }]);
    await client.mode.set({ mode: 'batch' });
    harness.runtime.store.audit.flush();
    const entry = harness.runtime.store.audit.list({ action: 'mode.set', limit: 1 }).items[0];
    expect(entry).toMatchObject({ keyName: '(desktop)', keyId: 'local', outcome: 'ok', target: 'batch' });
  });

  it('turns a refusal into an OrchClientError with the contract’s code', async () => {
    await expect(client.servers.start({ name: 'ghost' })).rejects.toMatchObject({ code: 'unknown_server' });
  });

  it('delivers live events until unsubscribed', async () => {
    const events: OrchEvent[] = [];
    const stop = client.subscribe((event) => events.push(event));
    await client.tools.disable({ server: 'example', tool: 'now' });
    stop();
    const count = events.length;
    await client.tools.enable({ server: 'example', tool: 'now' });
    expect(events.some((event) => event.type === 'config.reload' && event.diff?.orch.includes('disabledTools'))).toBe(true);
    expect(events.length).toBe(count);
  });
});
