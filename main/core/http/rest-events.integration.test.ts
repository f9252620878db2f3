/**
 * `GET /api/events` carries what the dashboard follows: server state changes, finished calls,
 * config reloads, mode changes and catalog changes, each `data:` line one event of the contract.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orchEventSchema, type OrchEvent } from '../../../shared/api/events.js';
import { operations } from '../../../shared/api/operations.js';
import { TEST_TOKEN, exampleServer, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';
import type { Emitter } from '../events/emitter.js';
import type { AuthState } from './auth-guard.js';
import { callOperation } from './__fixtures__/rest-client.js';
import { createRestApi } from './rest-adapter.js';
import { pollFor } from '../__fixtures__/wait.js';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ example: exampleServer() });
});

afterAll(async () => {
  await harness?.dispose();
});

/** Collects events from `/api/events` until `done` says enough; every data line must be a contract event. */
async function collect(trigger: () => Promise<unknown>, done: (events: OrchEvent[]) => boolean): Promise<OrchEvent[]> {
  const controller = new AbortController();
  const response = await fetch(harness.bareUrl('/api/events'), {
    headers: { authorization: `Bearer ${TEST_TOKEN}` },
    signal: controller.signal,
  });
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  const reader = response.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const decoder = new TextDecoder();
  const events: OrchEvent[] = [];
  let buffer = '';
  let triggered = false;
  try {
    while (!done(events)) {
      const { value, done: ended } = await reader.read();
      if (ended) throw new Error('the stream ended');
      buffer += decoder.decode(value, { stream: true });
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop()!;
      for (const block of blocks) {
        const data = /^data: (.*)$/m.exec(block)?.[1];
        const name = /^event: (.*)$/m.exec(block)?.[1];
        if (data === undefined) continue;
        const event = orchEventSchema.parse(JSON.parse(data));
        expect(event.type).toBe(name);
        events.push(event);
      }
      if (!triggered) {
        triggered = true;
        await trigger();
      }
    }
    return events;
  } finally {
    controller.abort();
  }
}

describe('/api/events', () => {
  it('reports a mode switch as mode.changed, whoever made it', async () => {
    try {
      const events = await collect(
        () => Promise.resolve(harness.runtime.setMode('batch')),
        (seen) => seen.some((event) => event.type === 'mode.changed'),
      );
      expect(events.find((event) => event.type === 'mode.changed')).toMatchObject({ mode: 'batch' });
    } finally {
      harness.runtime.setMode('proxy');
    }
  });

  it('reports a restart as server.state changes and a catalog refresh', async () => {
    const events = await collect(
      () => callOperation(harness, operations['servers.restart'], { name: 'example' }),
      (seen) =>
        seen.some((event) => event.type === 'server.state' && event.status.state === 'running') &&
        seen.some((event) => event.type === 'tools.changed'),
    );
    const states = events.flatMap((event) => (event.type === 'server.state' ? [event.status.state] : []));
    expect(states).toEqual(expect.arrayContaining(['stopped', 'starting', 'running']));
  });

  it('reports a tool call and a tool switched off through the config file', async () => {
    const events = await collect(
      async () => {
        await callOperation(harness, operations['tools.call'], { server: 'example', tool: 'echo', arguments: { text: 'e' } });
        await callOperation(harness, operations['tools.disable'], { server: 'example', tool: 'now' });
      },
      (seen) => seen.some((event) => event.type === 'config.reload') && seen.some((event) => event.type === 'call'),
    );
    expect(events.find((event) => event.type === 'call')).toMatchObject({
      call: { server: 'example', tool: 'echo', method: 'tools/call', ok: true, client: 'mcp-orch-api' },
    });
    expect(events.find((event) => event.type === 'config.reload')).toMatchObject({ ok: true, diff: { orch: ['disabledTools'] } });
    const tools = await callOperation(harness, operations['tools.list'], { server: 'example', enabled: false });
    expect(tools.body).toMatchObject({ tools: [{ name: 'now', enabled: false }] });
  });

  it('sends a ping comment on the heartbeat interval and unsubscribes when the client goes', async () => {
    const { runtime } = harness;
    const app = new Koa<AuthState>();
    app.use(async (ctx, next) => {
      ctx.state.principal = { keyId: 'k', name: 'k', role: 'viewer', allow: [], deny: [], rateLimitPerMinute: undefined, kind: 'key' };
      await next();
    });
    app.use(createRestApi(runtime.operations, { heartbeatMs: 20 }));
    const handle = app.callback();
    const server = createServer((req, res) => void handle(req, res)).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    // Test-only peek at the listener count of the supervisor's state event.
    const listeners = (): number => (runtime.supervisor['stateEmitter'] as Emitter<unknown>)['listeners'].size;
    const before = listeners();
    try {
      const controller = new AbortController();
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/events`, { signal: controller.signal });
      const reader = response.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
      let text = '';
      while ((text.match(/: ping\n\n/g) ?? []).length < 2) text += new TextDecoder().decode((await reader.read()).value);
      expect(text.startsWith(': connected\n\n')).toBe(true);
      expect(listeners()).toBe(before + 1);
      controller.abort();
      await pollFor('the stream unsubscribed', () => listeners() === before);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
