import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempStores } from '../store/__fixtures__/temp-store.js';
import type { Store } from '../store/store.js';
import { bootstrapTokenFromEnv, MISSING_TOKEN_MESSAGE, TokenService, type AuthResult, type TokenServiceOptions } from './token-service.js';

const temp = useTempStores();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A service over a real store in a temp folder, with a clock the test moves. */
function setup(options: Partial<TokenServiceOptions> = {}): { service: TokenService; store: Store; clock: { now: number } } {
  const store = temp.open();
  const clock = { now: 1_700_000_000_000 };
  const service = new TokenService({ tokens: store.tokens, clock: () => clock.now, ...options });
  return { service, store, clock };
}

function failure(result: AuthResult): string | undefined {
  return result.ok ? undefined : result.error.code;
}

describe('TokenService: keys', () => {
  it('creates a key whose secret authenticates as its principal', () => {
    const { service } = setup();
    const { token, record } = service.createToken({
      name: 'cline',
      role: 'operator',
      allow: ['github__*'],
      deny: ['github__delete_*'],
      rateLimitPerMinute: 30,
    });
    expect(token).toMatch(/^mo_[A-Za-z0-9_-]{43}$/);
    expect(record).toMatchObject({ name: 'cline', role: 'operator', prefix: token.slice(0, 9), status: 'active', usageCount: 0 });
    expect(record.id).toMatch(/^key_[0-9a-f]{16}$/);
    const result = service.authenticate(token);
    expect(result).toEqual({
      ok: true,
      value: {
        keyId: record.id,
        name: 'cline',
        role: 'operator',
        allow: ['github__*'],
        deny: ['github__delete_*'],
        rateLimitPerMinute: 30,
        kind: 'key',
      },
    });
  });

  it('never stores or lists the secret in clear', () => {
    const { service, store } = setup();
    const { token } = service.createToken({ name: 'cline', role: 'operator' });
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const secretPart = token.slice(9);
    const folder = dirname(temp.path());
    // The search works: the shown prefix is in the file.
    expect(readFileSync(temp.path()).includes(Buffer.from(token.slice(0, 9)))).toBe(true);
    for (const file of readdirSync(folder)) {
      expect(readFileSync(join(folder, file)).includes(Buffer.from(secretPart)), file).toBe(false);
    }
    const rows = store.db.prepare('SELECT * FROM api_keys').all();
    expect(JSON.stringify(rows)).not.toContain(secretPart);
    const listed = JSON.stringify([service.list({ all: true }), service.get('cline')]);
    expect(listed).not.toContain(secretPart);
    expect(listed).not.toMatch(/secret|hash/i);
  });

  it('refuses a missing or unknown token with a message telling how to get one', () => {
    const { service } = setup();
    service.createToken({ name: 'cline', role: 'operator' });
    expect(service.authenticate(undefined)).toEqual({ ok: false, error: { code: 'missing', message: MISSING_TOKEN_MESSAGE } });
    expect(MISSING_TOKEN_MESSAGE).toContain('mcp-orch token create --name <client> --role operator');
    expect(MISSING_TOKEN_MESSAGE).toContain('Authorization: Bearer <token>');
    expect(MISSING_TOKEN_MESSAGE).toContain('MCP_ORCH_TOKEN');
    const unknown = service.authenticate(`mo_${'A'.repeat(43)}`);
    expect(failure(unknown)).toBe('unknown');
    expect(failure(service.authenticate('garbage'))).toBe('unknown');
  });

  it('rejects bad input: name, role, patterns, rate, expiry', () => {
    const { service } = setup();
    expect(() => service.createToken({ name: 'has space', role: 'viewer' })).toThrow(/invalid key name/);
    expect(() => service.createToken({ name: 'x', role: 'root' as 'admin' })).toThrow(/invalid role "root"/);
    expect(() => service.createToken({ name: 'x', role: 'viewer', allow: [''] })).toThrow(/cannot be empty/);
    expect(() => service.createToken({ name: 'x', role: 'viewer', rateLimitPerMinute: -1 })).toThrow(/invalid rate limit/);
    expect(() => service.createToken({ name: 'x', role: 'viewer', expiresInMs: 0 })).toThrow(/invalid expiry/);
    expect(service.list({ all: true })).toEqual([]);
  });

  it('expires a key at its expiry', () => {
    const { service, clock } = setup();
    const { token, record } = service.createToken({ name: 'ci', role: 'viewer', expiresInMs: 30 * DAY });
    expect(record.expiresAt).toBe(clock.now + 30 * DAY);
    clock.now += 30 * DAY - 1;
    expect(service.authenticate(token).ok).toBe(true);
    clock.now += 1;
    const result = service.authenticate(token);
    expect(failure(result)).toBe('expired');
    expect(result.ok ? '' : result.error.message).toContain('the key "ci"');
    expect(service.list()).toEqual([]);
    expect(service.list({ all: true }).map((k) => k.status)).toEqual(['expired']);
  });

  it('revokes a key at once; the name can then be reused', () => {
    const { service } = setup();
    const first = service.createToken({ name: 'cline', role: 'operator' });
    expect(() => service.createToken({ name: 'cline', role: 'viewer' })).toThrow(/a key named "cline" already exists/);
    const revoked = service.revoke('cline');
    expect(revoked).toMatchObject({ key: { id: first.record.id, status: 'revoked' }, revokedIds: [first.record.id] });
    expect(failure(service.authenticate(first.token))).toBe('revoked');
    expect(service.revoke(first.record.id).revokedIds).toEqual([]);

    const second = service.createToken({ name: 'cline', role: 'viewer' });
    expect(service.authenticate(second.token)).toMatchObject({ ok: true, value: { keyId: second.record.id, role: 'viewer' } });
    expect(failure(service.authenticate(first.token))).toBe('revoked');
    expect(service.list().map((k) => k.id)).toEqual([second.record.id]);
    expect(() => service.revoke('nobody')).toThrow(/no key with the id or name "nobody"/);
  });

  it('reuses the name of an expired key, which then shows as expired', () => {
    const { service, clock } = setup();
    const old = service.createToken({ name: 'ci', role: 'viewer', expiresInMs: HOUR });
    clock.now += 2 * HOUR;
    const fresh = service.createToken({ name: 'ci', role: 'viewer' });
    expect(service.list({ all: true }).map((k) => [k.id, k.status])).toEqual([
      [fresh.record.id, 'active'],
      [old.record.id, 'expired'],
    ]);
  });

  it('rotates: the old secret works within the grace period and fails after, the new one works', () => {
    const { service, clock } = setup();
    const old = service.createToken({
      name: 'cline',
      role: 'operator',
      allow: ['github__*'],
      rateLimitPerMinute: 5,
      expiresInMs: 30 * DAY,
    });
    clock.now += DAY;
    const rotated = service.rotate('cline', { graceMs: HOUR });
    expect(rotated.token).not.toBe(old.token);
    expect(rotated.record).toMatchObject({
      name: 'cline',
      role: 'operator',
      allow: ['github__*'],
      rateLimitPerMinute: 5,
      expiresAt: old.record.expiresAt,
      status: 'active',
    });
    expect(rotated.previous).toMatchObject({
      id: old.record.id,
      replacedBy: rotated.record.id,
      graceUntil: clock.now + HOUR,
      status: 'rotating',
    });

    clock.now += HOUR - 1;
    expect(service.authenticate(old.token)).toMatchObject({ ok: true, value: { keyId: old.record.id, name: 'cline' } });
    expect(service.authenticate(rotated.token)).toMatchObject({ ok: true, value: { keyId: rotated.record.id } });
    expect(service.list().map((k) => k.status)).toEqual(['active', 'rotating']);

    clock.now += 1;
    expect(failure(service.authenticate(old.token))).toBe('rotated');
    expect(service.authenticate(rotated.token).ok).toBe(true);
    expect(service.list().map((k) => k.id)).toEqual([rotated.record.id]);
    expect(() => service.rotate(old.record.id, { graceMs: 0 })).toThrow(/is rotated: only an active key can be rotated/);
  });

  it('revoking a rotated key also ends the grace of its predecessor', () => {
    const { service } = setup();
    const old = service.createToken({ name: 'cline', role: 'operator' });
    const rotated = service.rotate('cline', { graceMs: DAY, expiresInMs: 7 * DAY });
    expect(() => service.rotate(old.record.id, { graceMs: 0 })).toThrow(/is rotating.*rotate its replacement/);
    expect(service.revoke('cline').revokedIds.sort()).toEqual([old.record.id, rotated.record.id].sort());
    expect(failure(service.authenticate(old.token))).toBe('revoked');
    expect(failure(service.authenticate(rotated.token))).toBe('revoked');
  });

  it('rotation with no grace retires the old secret at once', () => {
    const { service } = setup();
    const old = service.createToken({ name: 'cline', role: 'operator' });
    const rotated = service.rotate(old.record.id, { graceMs: 0 });
    expect(failure(service.authenticate(old.token))).toBe('rotated');
    expect(service.authenticate(rotated.token).ok).toBe(true);
  });

  it('counts uses in memory and writes them in one batch on flush and on close', () => {
    const { service, store, clock } = setup();
    const { token, record } = service.createToken({ name: 'cline', role: 'operator' });
    const stored = (): unknown => store.db.prepare('SELECT usage_count, last_used_at FROM api_keys WHERE id = ?').get(record.id);
    for (let i = 0; i < 5; i++) {
      clock.now += 1_000;
      expect(service.authenticate(token).ok).toBe(true);
    }
    expect(stored()).toEqual({ usage_count: 0, last_used_at: null });
    expect(service.get('cline')).toMatchObject({ usageCount: 5, lastUsedAt: clock.now });

    expect(store.tokens.flushUsage()).toBe(1);
    expect(stored()).toEqual({ usage_count: 5, last_used_at: clock.now });
    expect(service.get('cline')).toMatchObject({ usageCount: 5 });

    service.authenticate(token);
    service.authenticate('garbage');
    store.close();
    const reopened = temp.open();
    expect(reopened.tokens.get(record.id)).toMatchObject({ usageCount: 6 });
  });
});

describe('TokenService: bootstrap and session tokens', () => {
  const bootstrap = 'b'.repeat(32);
  const session = 'mos_session-token-for-this-test';

  it('accepts the bootstrap and session tokens as admin, unlimited, with every tool', () => {
    const { service } = setup({ bootstrapToken: bootstrap, sessionToken: session });
    expect(service.authenticate(bootstrap)).toEqual({
      ok: true,
      value: {
        keyId: 'bootstrap',
        name: '(bootstrap)',
        role: 'admin',
        allow: [],
        deny: [],
        rateLimitPerMinute: undefined,
        kind: 'bootstrap',
      },
    });
    expect(service.authenticate(session)).toMatchObject({
      ok: true,
      value: { keyId: 'session', name: '(session)', role: 'admin', kind: 'session' },
    });
    expect(failure(service.authenticate(`${bootstrap}x`))).toBe('unknown');
  });

  it('accepts neither when not configured', () => {
    const { service } = setup();
    expect(failure(service.authenticate(bootstrap))).toBe('unknown');
  });

  it('reads MCP_ORCH_TOKEN, refusing a guessable one', () => {
    expect(bootstrapTokenFromEnv({})).toBeUndefined();
    expect(bootstrapTokenFromEnv({ MCP_ORCH_TOKEN: '  ' })).toBeUndefined();
    expect(bootstrapTokenFromEnv({ MCP_ORCH_TOKEN: ` ${bootstrap}\n` })).toBe(bootstrap);
    expect(() => bootstrapTokenFromEnv({ MCP_ORCH_TOKEN: 'secret' })).toThrow(/MCP_ORCH_TOKEN is too short \(6 characters\)/);
  });
});
