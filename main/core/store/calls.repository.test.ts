import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useTempStores } from './__fixtures__/temp-store.js';
import type { CallEntry, CallRecord } from './calls.repository.js';

const temp = useTempStores();

function call(overrides: Partial<CallEntry> = {}): CallEntry {
  return {
    time: 1_000,
    sessionId: 's1',
    server: 'alpha',
    tool: 'echo',
    method: 'tools/call',
    durationMs: 5,
    ok: true,
    bytesIn: 10,
    bytesOut: 20,
    ...overrides,
  };
}

function rowCount(store: { db: Sqlite.Database }): number {
  return store.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM calls').get()?.n ?? -1;
}

/** Resolves with the size of the next batch the store commits. */
function nextFlush(store: ReturnType<typeof temp.open>): Promise<number> {
  return new Promise((resolve) => {
    const dispose = store.calls.onDidFlush((rows) => {
      dispose();
      resolve(rows);
    });
  });
}

describe('call log: the write path', () => {
  it('queues 10,000 records without touching the database, then writes them in batches of at most 512', () => {
    const store = temp.open();
    const batches: number[] = [];
    store.calls.onDidFlush((rows) => batches.push(rows));
    for (let i = 0; i < 10_000; i++) store.calls.record(call({ time: i, bytesIn: i }));

    expect(store.calls.queueStats.queued).toBe(10_000);
    expect(rowCount(store)).toBe(0);
    expect(store.calls.flush()).toBe(10_000);

    expect(rowCount(store)).toBe(10_000);
    expect(batches).toHaveLength(Math.ceil(10_000 / 512));
    expect(batches.every((n) => n <= 512)).toBe(true);
    expect(store.calls.queueStats).toEqual({ queued: 0, dropped: 0, written: 10_000, batches: batches.length });
  });

  it('flushes on its own: a partial batch after the interval, a full one at once', async () => {
    const store = temp.open(undefined, { callLog: { batchSize: 64 } });
    const partial = nextFlush(store);
    store.calls.record(call());
    store.calls.record(call());
    expect(await partial).toBe(2);
    expect(rowCount(store)).toBe(2);

    const full = nextFlush(store);
    for (let i = 0; i < 64; i++) store.calls.record(call());
    expect(await full).toBe(64);
    expect(rowCount(store)).toBe(66);
  });

  it('keeps the queue bounded: the oldest entries are dropped and counted', () => {
    const store = temp.open(undefined, { callLog: { batchSize: 10, maxQueued: 100 } });
    for (let i = 0; i < 150; i++) store.calls.record(call({ time: i }));
    expect(store.calls.queueStats).toMatchObject({ queued: 100, dropped: 50 });
    store.calls.flush();
    const times = store.calls.list({ limit: 1000 }).items.map((c) => c.time);
    expect(Math.min(...times)).toBe(50);
    expect(times).toHaveLength(100);
  });

  it('keeps entries queued while the database is locked and writes them once it is free', async () => {
    const path = temp.path();
    const store = temp.open(undefined, { busyTimeoutMs: 0 });
    const other = new Sqlite(path);
    try {
      other.exec('BEGIN IMMEDIATE');
      const failed = new Promise<Error>((resolve) => {
        const dispose = store.calls.onDidFail((error) => {
          dispose();
          resolve(error);
        });
      });
      store.calls.record(call());
      expect((await failed) as Error & { code?: string }).toMatchObject({ code: 'SQLITE_BUSY' });
      expect(store.calls.queueStats.queued).toBe(1);

      const written = nextFlush(store);
      other.exec('COMMIT');
      expect(await written).toBe(1);
      expect(rowCount(store)).toBe(1);
    } finally {
      other.close();
    }
  });

  it('drops records after close instead of throwing, and close flushes what was queued', () => {
    const path = temp.path();
    const store = temp.open();
    store.calls.record(call({ sessionId: 'before-close', time: Date.now() }));
    store.close();
    store.close();
    expect(() => store.calls.record(call())).not.toThrow();
    expect(store.calls.queueStats.dropped).toBe(1);

    const reopened = temp.open();
    expect(reopened.calls.list().items.map((c) => c.sessionId)).toEqual(['before-close']);
    expect(path).toBe(temp.path());
  });
});

describe('call log: reading', () => {
  function seeded(): ReturnType<typeof temp.open> {
    const store = temp.open();
    const entries: CallEntry[] = [
      call({ time: 100, server: 'alpha', tool: 'echo' }),
      call({ time: 200, server: 'alpha', tool: 'add', ok: false, error: 'bad input' }),
      call({ time: 200, server: 'beta', tool: 'echo', client: 'cline' }),
      call({ time: 300, server: 'beta', tool: undefined, method: 'resources/read' }),
      call({ time: 400, server: 'alpha', tool: 'echo', ok: false, error: 'timeout' }),
    ];
    for (const entry of entries) store.calls.record(entry);
    store.calls.flush();
    return store;
  }

  it('lists newest first and round-trips every field', () => {
    const store = seeded();
    const { items } = store.calls.list();
    expect(items.map((c) => [c.time, c.server])).toEqual([
      [400, 'alpha'],
      [300, 'beta'],
      [200, 'beta'],
      [200, 'alpha'],
      [100, 'alpha'],
    ]);
    const beta = items[2] as CallRecord;
    expect(beta).toEqual({
      id: beta.id,
      time: 200,
      sessionId: 's1',
      client: 'cline',
      server: 'beta',
      tool: 'echo',
      method: 'tools/call',
      durationMs: 5,
      ok: true,
      bytesIn: 10,
      bytesOut: 20,
    });
    expect(items[1]).not.toHaveProperty('tool');
  });

  it('filters by server, tool, outcome and time range', () => {
    const store = seeded();
    const times = (query: Parameters<typeof store.calls.list>[0]): number[] => store.calls.list(query).items.map((c) => c.time);
    expect(times({ server: 'alpha' })).toEqual([400, 200, 100]);
    expect(times({ tool: 'echo' })).toEqual([400, 200, 100]);
    expect(times({ server: 'alpha', tool: 'echo', ok: false })).toEqual([400]);
    expect(times({ ok: false })).toEqual([400, 200]);
    expect(times({ since: 200, until: 400 })).toEqual([300, 200, 200]);
  });

  it('pages with a cursor, without skipping or repeating rows that share a time', () => {
    const store = temp.open();
    for (let i = 0; i < 25; i++) store.calls.record(call({ time: 1_000 + Math.floor(i / 4), bytesIn: i }));
    store.calls.flush();
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = store.calls.list({ limit: 7, before: cursor });
      seen.push(...page.items.map((c) => c.bytesIn));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toEqual([...Array(25).keys()].reverse());
    expect(() => store.calls.list({ before: 'nonsense' })).toThrow(/invalid cursor/);
  });

  it('computes count, errors, mean and p95 per tool, per server and overall', () => {
    const store = temp.open();
    for (let d = 1; d <= 100; d++) store.calls.record(call({ time: 1_000 + d, durationMs: d, ok: d % 10 !== 0 }));
    for (let d = 1; d <= 20; d++)
      store.calls.record(call({ time: 2_000 + d, server: 'beta', tool: undefined, method: 'prompts/get', durationMs: 1_000 }));
    store.calls.record(call({ time: 10, durationMs: 99_999 }));
    store.calls.flush();

    const stats = store.calls.stats({ since: 1_000 });
    expect(stats.tools).toEqual([
      { server: 'alpha', method: 'tools/call', tool: 'echo', count: 100, errors: 10, meanMs: 50.5, p95Ms: 95 },
      { server: 'beta', method: 'prompts/get', count: 20, errors: 0, meanMs: 1_000, p95Ms: 1_000 },
    ]);
    expect(stats.servers.map((s) => [s.server, s.count, s.p95Ms])).toEqual([
      ['alpha', 100, 95],
      ['beta', 20, 1_000],
    ]);
    expect(stats.total).toEqual({ count: 120, errors: 10, meanMs: (5_050 + 20_000) / 120, p95Ms: 1_000 });
    expect(store.calls.stats().total.count).toBe(121);
    expect(store.calls.stats({ since: 1_000, until: 2_000 }).servers.map((s) => s.server)).toEqual(['alpha']);
    // p95 over the newest 10 calls only: all prompts/get at 1 s.
    expect(store.calls.stats({ since: 1_000, p95Window: 10 }).servers.find((s) => s.server === 'alpha')?.p95Ms).toBe(0);
  });

  it('prunes by age and by count, newest kept', () => {
    const store = temp.open();
    for (let i = 0; i < 100; i++) store.calls.record(call({ time: i * 1_000 }));
    store.calls.flush();
    expect(store.calls.prune({ maxAgeMs: 50_000, maxRows: 1_000, now: 99_000 })).toBe(49);
    expect(Math.min(...store.calls.list({ limit: 1000 }).items.map((c) => c.time))).toBe(49_000);
    expect(store.calls.prune({ maxAgeMs: 1e12, maxRows: 10, now: 99_000 })).toBe(41);
    expect(store.calls.list({ limit: 1000 }).items.map((c) => c.time / 1_000)).toEqual([99, 98, 97, 96, 95, 94, 93, 92, 91, 90]);
  });
});
