import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useTempStores } from './__fixtures__/temp-store.js';
import { NameTakenError, type NewToken } from './tokens.repository.js';

const temp = useTempStores();

function token(overrides: Partial<NewToken> = {}): NewToken {
  return {
    id: 'key_1',
    name: 'cline',
    role: 'operator',
    secretHash: 'ab'.repeat(32),
    prefix: 'mo_abcdef',
    createdAt: 1_000,
    allow: [],
    deny: [],
    ...overrides,
  };
}

describe('TokensRepository', () => {
  it('the database itself keeps live names unique', () => {
    const store = temp.open();
    store.tokens.create(token(), 1_000);
    expect(() => store.tokens.create(token({ id: 'key_2' }), 1_000)).toThrow(NameTakenError);
    expect(() =>
      store.db
        .prepare(
          "INSERT INTO api_keys (id, name, role, secret_hash, prefix, created_at, allow, deny) VALUES ('key_3', 'cline', 'viewer', 'x', 'p', 1, '[]', '[]')",
        )
        .run(),
    ).toThrow(/UNIQUE constraint failed/);
    expect(store.tokens.revoke('key_1', 2_000)).toEqual(['key_1']);
    expect(store.tokens.create(token({ id: 'key_2' }), 3_000)).toMatchObject({ id: 'key_2', name: 'cline' });
  });

  it('finds keys by prefix with their hash, and lists them without it', () => {
    const store = temp.open();
    store.tokens.create(token({ allow: ['github__*'], rateLimitPerMinute: 10, expiresAt: 9_000 }), 1_000);
    expect(store.tokens.findByPrefix('mo_abcdef')).toEqual([
      { secretHash: 'ab'.repeat(32), record: expect.objectContaining({ id: 'key_1' }) as unknown },
    ]);
    expect(store.tokens.findByPrefix('mo_zzzzzz')).toEqual([]);
    expect(store.tokens.list({ now: 2_000 })).toEqual([
      {
        id: 'key_1',
        name: 'cline',
        role: 'operator',
        prefix: 'mo_abcdef',
        createdAt: 1_000,
        expiresAt: 9_000,
        allow: ['github__*'],
        deny: [],
        rateLimitPerMinute: 10,
        usageCount: 0,
      },
    ]);
    expect(store.tokens.list({ now: 9_000 })).toEqual([]);
    expect(store.tokens.list({ now: 9_000, all: true })).toHaveLength(1);
  });

  it('keeps usage counts in memory while the database is locked, and writes them once it is free', () => {
    const path = temp.path();
    const store = temp.open(undefined, { busyTimeoutMs: 0 });
    store.tokens.create(token(), 1_000);
    const other = new Sqlite(path);
    try {
      store.tokens.recordUse('key_1', 5_000);
      other.exec('BEGIN IMMEDIATE');
      expect(() => store.tokens.flushUsage()).toThrow(/locked|busy/i);
      store.tokens.recordUse('key_1', 6_000);
      expect(store.tokens.get('key_1')).toMatchObject({ usageCount: 2, lastUsedAt: 6_000 });
      other.exec('COMMIT');
      expect(store.tokens.flushUsage()).toBe(1);
      expect(other.prepare('SELECT usage_count, last_used_at FROM api_keys').get()).toEqual({ usage_count: 2, last_used_at: 6_000 });
    } finally {
      other.close();
    }
  });

  it('adds usage from two processes without losing any', () => {
    const path = temp.path();
    const first = temp.open();
    first.tokens.create(token(), 1_000);
    const second = temp.open();
    first.tokens.recordUse('key_1', 2_000);
    second.tokens.recordUse('key_1', 3_000);
    second.tokens.recordUse('key_1', 2_500);
    first.tokens.flushUsage();
    second.tokens.flushUsage();
    const reader = new Sqlite(path, { readonly: true });
    try {
      expect(reader.prepare('SELECT usage_count, last_used_at FROM api_keys').get()).toEqual({ usage_count: 3, last_used_at: 3_000 });
    } finally {
      reader.close();
    }
  });

  it('answers prefix lookups from memory, but sees at once what another process changed', () => {
    const daemon = temp.open();
    const cli = temp.open();
    expect(daemon.tokens.findByPrefix('mo_abcdef')).toEqual([]);
    cli.tokens.create(token(), 1_000);
    expect(daemon.tokens.findByPrefix('mo_abcdef')).toEqual([
      expect.objectContaining({ record: expect.objectContaining({ id: 'key_1' }) as unknown }),
    ]);
    expect(daemon.tokens.findByPrefix('mo_abcdef')[0]?.record.revokedAt).toBeUndefined();
    cli.tokens.revoke('key_1', 2_000);
    expect(daemon.tokens.findByPrefix('mo_abcdef')[0]?.record.revokedAt).toBe(2_000);
    // Its own changes too.
    expect(daemon.tokens.findByPrefix('mo_zzzzzz')).toEqual([]);
    daemon.tokens.create(token({ id: 'key_2', name: 'cursor', prefix: 'mo_zzzzzz' }), 3_000);
    expect(daemon.tokens.findByPrefix('mo_zzzzzz').map((found) => found.record.id)).toEqual(['key_2']);
    daemon.tokens.rotate('key_2', token({ id: 'key_3', prefix: 'mo_zzzzzz', secretHash: 'cd'.repeat(32) }), 4_000);
    expect(
      daemon.tokens
        .findByPrefix('mo_zzzzzz')
        .map((found) => found.record.id)
        .sort(),
    ).toEqual(['key_2', 'key_3']);
    daemon.tokens.revoke('key_3', 5_000);
    expect(daemon.tokens.findByPrefix('mo_zzzzzz').find((found) => found.record.id === 'key_3')?.record.revokedAt).toBe(5_000);
  });
});
