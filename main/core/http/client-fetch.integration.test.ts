/**
 * The typed client in Node, over fetch, against a real daemon: operations by domain and action,
 * refusals as `OrchClientError`s with the contract's codes, live events over `/api/events`, and a
 * daemon that is not there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, OrchClientError, type OrchClient } from '../../../shared/api/client.js';
import type { OrchEvent } from '../../../shared/api/events.js';
import { UNREACHABLE, fetchTransport } from '../../../shared/api/fetch-transport.js';
import type { ConnectionStatus } from '../../../shared/api/transport.js';
import { TEST_TOKEN, exampleServer, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';

let harness: Harness;
let client: OrchClient;

beforeAll(async () => {
  harness = await startHarness({ example: exampleServer() });
  client = createClient(fetchTransport({ baseUrl: harness.runtime.url, token: TEST_TOKEN }));
});

afterAll(async () => {
  await harness?.dispose();
});

/** Subscribes until `done` holds for the events so far; `trigger` runs once the stream is open. */
function follow(subject: OrchClient, trigger: () => Promise<unknown>, done: (events: OrchEvent[]) => boolean): Promise<OrchEvent[]> {
  return new Promise((resolve, reject) => {
    const events: OrchEvent[] = [];
    const stop = subject.subscribe(
      (event) => {
        events.push(event);
        if (done(events)) {
          stop();
          resolve(events);
        }
      },
      { onStatus: (status) => status === 'open' && void trigger().catch(reject) },
    );
  });
}

describe('the typed client over fetch', () => {
  it('lists servers and calls a tool, typed from the contract', async () => {
    const { servers } = await client.servers.list();
    expect(servers.map((server) => server.name)).toEqual(['example']);
    const { result } = await client.tools.call({ server: 'example', tool: 'add', arguments: { a: 2, b: 3 } });
    expect(result.structuredContent).toEqual({ sum: 5 });
  });

  it('rejects with the daemon’s code and message, and checks input before sending', async () => {
    const unknown = await client.servers.status({ name: 'nope' }).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(OrchClientError);
    expect(unknown).toMatchObject({ code: 'unknown_server', details: { known: ['example'] } });
    const anonymous = createClient(fetchTransport({ baseUrl: harness.runtime.url }));
    await expect(anonymous.call('servers.list')).resolves.toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    await expect(client.call('runs.list', { limit: 0 })).resolves.toMatchObject({
      ok: false,
      error: { code: 'bad_request', details: { issues: [{ path: 'limit' }] } },
    });
  });

  it('follows live events: a restart as server.state changes', async () => {
    const events = await follow(
      client,
      () => client.servers.restart({ name: 'example' }),
      (seen) => seen.some((event) => event.type === 'server.state' && event.status.state === 'running'),
    );
    const states = events.flatMap((event) => (event.type === 'server.state' ? [event.status.state] : []));
    expect(states).toContain('starting');
    expect(states.at(-1)).toBe('running');
  });

  it('says when no daemon answers, and reconnects its event stream until stopped', async () => {
    const nobody = createClient(
      fetchTransport({ baseUrl: 'http://127.0.0.1:9', token: TEST_TOKEN, reconnect: { initialMs: 10, maxMs: 20 } }),
    );
    await expect(nobody.call('servers.list')).resolves.toMatchObject({
      ok: false,
      error: { code: 'server_unavailable', details: { reason: UNREACHABLE } },
    });
    const statuses: ConnectionStatus[] = [];
    await new Promise<void>((resolve) => {
      const stop = nobody.subscribe(() => undefined, {
        onStatus(status) {
          statuses.push(status);
          if (statuses.filter((seen) => seen === 'connecting').length === 3) {
            stop();
            resolve();
          }
        },
      });
    });
    expect(statuses.slice(0, 4)).toEqual(['connecting', 'closed', 'connecting', 'closed']);
    expect(statuses).not.toContain('open');
  });
});
