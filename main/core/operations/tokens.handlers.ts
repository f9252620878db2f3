/** `tokens.*` and `audit.list`: API keys (their secrets shown once, never audited) and the audit log. */
import { TokenError, type TokenInfo } from '../auth/token-service.js';
import type { OperationDeps, Handlers } from './deps.js';
import { OperationError } from './operation-error.js';
import { query } from './calls.handlers.js';

/** Rotated keys keep working this long unless the caller says otherwise. */
const DEFAULT_GRACE_MS = 3_600_000;

/** A key as the API lists it: the contract's fields only (no hash, whatever the record grows). */
export function keyView(key: TokenInfo) {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    status: key.status,
    prefix: key.prefix,
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
    replacedBy: key.replacedBy,
    graceUntil: key.graceUntil,
    allow: key.allow,
    deny: key.deny,
    rateLimitPerMinute: key.rateLimitPerMinute,
    usageCount: key.usageCount,
    lastUsedAt: key.lastUsedAt,
  };
}

function tokenCall<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof TokenError) throw new OperationError(error.code, error.message);
    throw error;
  }
}

export function tokenHandlers(
  deps: Pick<OperationDeps, 'tokens' | 'store'>,
): Handlers<'tokens.list' | 'tokens.create' | 'tokens.revoke' | 'tokens.rotate' | 'audit.list'> {
  return {
    'tokens.list': ({ all }) => ({ tokens: deps.tokens.list({ all }).map(keyView) }),
    'tokens.create': (input, call) => {
      const created = tokenCall(() => deps.tokens.createToken(input));
      call.audit.target = created.record.name;
      call.audit.details = { id: created.record.id, role: created.record.role };
      return { token: keyView(created.record), secret: created.token };
    },
    'tokens.revoke': ({ id }, call) => {
      const result = tokenCall(() => deps.tokens.revoke(id));
      call.audit.target = result.key.name;
      call.audit.details = { revoked: result.revokedIds };
      return { revoked: result.revokedIds, token: keyView(result.key) };
    },
    'tokens.rotate': ({ id, graceMs, expiresInMs }, call) => {
      const rotated = tokenCall(() => deps.tokens.rotate(id, { graceMs: graceMs ?? DEFAULT_GRACE_MS, expiresInMs }));
      call.audit.target = rotated.record.name;
      call.audit.details = { previous: rotated.previous.id, id: rotated.record.id };
      return { token: keyView(rotated.record), secret: rotated.token, previous: keyView(rotated.previous) };
    },
    'audit.list': (input) => {
      deps.store.audit.flush();
      return query(() => deps.store.audit.list(input));
    },
  };
}
