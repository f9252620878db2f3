import { describe, expect, it } from 'vitest';
import { useTempStores } from './__fixtures__/temp-store.js';
import type { AuditEntry, AuditQuery } from './audit.repository.js';

const temp = useTempStores();
const DAY = 86_400_000;

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    time: 1_000,
    keyId: 'key_1',
    keyName: 'cline',
    action: 'tools/call',
    target: 'github__list_issues',
    outcome: 'ok',
    ...overrides,
  };
}

function seeded(): ReturnType<typeof temp.open> {
  const store = temp.open();
  const entries: AuditEntry[] = [
    entry({ time: 100 }),
    entry({ time: 200, keyName: 'ci', keyId: 'key_2', action: 'servers.restart', target: 'github', outcome: 'ok' }),
    entry({ time: 300, action: 'tools/call', target: 'shell__exec', outcome: 'denied', details: { reason: 'not allowed by the key' } }),
    entry({
      time: 400,
      keyName: 'ci',
      keyId: 'key_2',
      action: 'servers.stop',
      target: 'memory',
      outcome: 'error',
      details: { message: 'not running' },
    }),
    entry({ time: 500, keyName: '(bootstrap)', keyId: 'bootstrap', action: 'tokens.create', target: 'cursor', outcome: 'ok' }),
    { time: 600, action: 'auth', outcome: 'denied', details: { code: 'unknown' } },
  ];
  for (const e of entries) store.audit.record(e);
  return store;
}

describe('audit log', () => {
  it('queues records and writes them in one batch; close flushes', () => {
    const store = seeded();
    expect(store.audit.queueStats.queued).toBe(6);
    expect(store.audit.list().items).toEqual([]);
    expect(store.audit.flush()).toBe(6);
    expect(store.audit.list().items).toHaveLength(6);

    // A recent time: reopening the store applies the retention.
    const now = Date.now();
    store.audit.record(entry({ time: now }));
    store.close();
    expect(
      temp
        .open()
        .audit.list({ limit: 1 })
        .items.map((e) => e.time),
    ).toEqual([now]);
  });

  it('round-trips every field, newest first', () => {
    const store = seeded();
    store.audit.flush();
    const { items } = store.audit.list();
    expect(items.map((e) => e.time)).toEqual([600, 500, 400, 300, 200, 100]);
    expect(items[2]).toEqual({
      id: items[2]?.id,
      time: 400,
      keyId: 'key_2',
      keyName: 'ci',
      action: 'servers.stop',
      target: 'memory',
      outcome: 'error',
      details: { message: 'not running' },
    });
    expect(items[0]).toEqual({ id: items[0]?.id, time: 600, action: 'auth', outcome: 'denied', details: { code: 'unknown' } });
  });

  it('filters by key, action (exact or prefix), target, outcome and time', () => {
    const store = seeded();
    store.audit.flush();
    const times = (query: AuditQuery): number[] => store.audit.list(query).items.map((e) => e.time);
    expect(times({ keyName: 'ci' })).toEqual([400, 200]);
    expect(times({ action: 'tools/call' })).toEqual([300, 100]);
    expect(times({ action: 'servers.*' })).toEqual([400, 200]);
    expect(times({ action: 'servers.' })).toEqual([]);
    expect(times({ target: 'github' })).toEqual([200]);
    expect(times({ outcome: 'denied' })).toEqual([600, 300]);
    expect(times({ keyName: 'cline', outcome: 'ok' })).toEqual([100]);
    expect(times({ since: 200, until: 500 })).toEqual([400, 300, 200]);
  });

  it('does not treat LIKE characters in a prefix as wildcards', () => {
    const store = temp.open();
    store.audit.record(entry({ action: 'a_b.x' }));
    store.audit.record(entry({ action: 'aXb.y' }));
    store.audit.record(entry({ action: '100%.z' }));
    store.audit.flush();
    expect(store.audit.list({ action: 'a_b*' }).items.map((e) => e.action)).toEqual(['a_b.x']);
    expect(store.audit.list({ action: '100%*' }).items.map((e) => e.action)).toEqual(['100%.z']);
  });

  it('pages with a cursor without skipping or repeating', () => {
    const store = temp.open();
    for (let i = 0; i < 23; i++) store.audit.record(entry({ time: 1_000 + Math.floor(i / 3), target: `t${i}` }));
    store.audit.flush();
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = store.audit.list({ limit: 5, before: cursor });
      seen.push(...page.items.map((e) => e.target ?? ''));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...Array(23).keys()].reverse().map((i) => `t${i}`));
    expect(() => store.audit.list({ before: 'x' })).toThrow(/invalid cursor/);
  });

  it('keeps details small', () => {
    const store = temp.open();
    store.audit.record(entry({ details: { arguments: 'x'.repeat(100_000) } }));
    store.audit.record(entry({ details: { quotes: '"'.repeat(100_000) } }));
    store.audit.flush();
    const stored = store.db.prepare<[], { details: string }>('SELECT details FROM audit').all();
    for (const row of stored) expect(row.details.length).toBeLessThanOrEqual(4_096);
    expect(store.audit.list().items[0]?.details).toMatchObject({ truncated: true });
  });

  it('prunes by age and count with the store retention, newest kept', () => {
    const now = Date.now();
    const store = temp.open();
    for (let i = 0; i < 10; i++) store.audit.record(entry({ time: now - i * DAY, target: `t${i}` }));
    store.audit.flush();
    expect(store.audit.prune({ maxAgeMs: 7.5 * DAY, maxRows: 100, now })).toBe(2);
    expect(store.audit.prune({ maxAgeMs: 100 * DAY, maxRows: 3, now })).toBe(5);
    expect(store.audit.list().items.map((e) => e.target)).toEqual(['t0', 't1', 't2']);
    expect(store.prune({ maxAgeMs: DAY, maxCalls: 10, maxAuditAgeMs: 1.5 * DAY, maxAuditEntries: 10 }, now).audit).toBe(1);
  });
});
