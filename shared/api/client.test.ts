import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Operation } from './contract.js';
import { createClient, OrchClientError } from './client.js';
import type { OrchEvent } from './events.js';
import { failure, success, type Result } from './result.js';
import type { Transport } from './transport.js';

/** A transport that records what it was asked and answers from a table. */
function scripted(
  answers: Record<string, Result>,
): Transport & { calls: [string, Record<string, unknown>][]; emit(event: OrchEvent): void } {
  const calls: [string, Record<string, unknown>][] = [];
  const listeners = new Set<(event: OrchEvent) => void>();
  return {
    calls,
    invoke(operation: Operation, input: Record<string, unknown>) {
      calls.push([operation.id, input]);
      return Promise.resolve(answers[operation.id] ?? failure('not_found', `nothing scripted for ${operation.id}`));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit: (event) => listeners.forEach((listener) => listener(event)),
  };
}

describe('createClient', () => {
  it('calls an operation by domain and action, and parses the answer with its output schema', async () => {
    const transport = scripted({ 'mode.get': success({ mode: 'batch' }) });
    const client = createClient(transport);
    await expect(client.mode.get()).resolves.toEqual({ mode: 'batch' });
    expect(transport.calls).toEqual([['mode.get', {}]]);
  });

  it('refuses an invalid input before it leaves, naming the field', async () => {
    const transport = scripted({});
    const client = createClient(transport);
    const result = await client.call('mode.set', { mode: 'turbo' as 'batch' });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_request', details: { issues: [{ path: 'mode' }] } } });
    expect(transport.calls).toEqual([]);
  });

  it('rejects a method with an OrchClientError carrying the code and details of the failure', async () => {
    const client = createClient(scripted({ 'servers.status': failure('unknown_server', 'no server named "x"', { known: ['a'] }) }));
    const error = await client.servers.status({ name: 'x' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OrchClientError);
    expect(error).toMatchObject({ code: 'unknown_server', message: 'no server named "x"', details: { known: ['a'] } });
  });

  it('reports an answer that does not match the contract as internal, not as data', async () => {
    const client = createClient(scripted({ 'mode.get': success({ mode: 'warp' }) }));
    await expect(client.call('mode.get')).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('offers every callable operation of the contract, and events through subscribe', () => {
    const transport = scripted({});
    const client = createClient(transport);
    expect(typeof client.tools.call).toBe('function');
    expect(typeof client.clientConfig.get).toBe('function');
    expect('events' in client).toBe(false);
    const seen: OrchEvent[] = [];
    const stop = client.subscribe((event) => seen.push(event));
    const event: OrchEvent = { type: 'tools.changed', time: 1, server: 'a', kinds: ['tools'] };
    transport.emit(event);
    stop();
    transport.emit(event);
    expect(seen).toEqual([event]);
  });
});

describe('the client’s types', () => {
  it('follow the contract: inputs required where a field is, outputs as the schema parses them', () => {
    const client = createClient(scripted({}));
    expectTypeOf(client.servers.list).parameter(0).toEqualTypeOf<Record<string, never> | undefined>();
    expectTypeOf(client.servers.status).parameter(0).toEqualTypeOf<{ name: string }>();
    expectTypeOf(client.mode.set).returns.resolves.toEqualTypeOf<{ mode: 'proxy' | 'batch' }>();
  });
});
