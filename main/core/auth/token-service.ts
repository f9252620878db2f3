/**
 * API keys and how a secret becomes a principal (docs/specification.md §7). A key's secret is `mo_` and 43 base64url
 * characters (256 random bits), shown once at creation; only its SHA-256 is stored — a fast hash is
 * right for a high-entropy secret, which no dictionary covers. Besides keys, two admin tokens:
 * the bootstrap token from `MCP_ORCH_TOKEN` (scripts, tests) and the local session token.
 *
 * Every `authenticate` reads the database (a prepared lookup by prefix), so a key revoked from the
 * CLI stops working at once even while the daemon runs; uses are counted in memory.
 */
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { TOKEN_STATUSES } from '../../../shared/api/operations/tokens.js';
import type { ErrorCode } from '../../../shared/errors.js';
import { NameTakenError, NotLiveError, type NewToken, type TokenRecord, type TokensRepository } from '../store/tokens.repository.js';
import { patternProblem } from './permissions.js';
import { isRole, type Principal, type Role } from './roles.js';

/** What `createToken` takes. */
export interface CreateTokenInput {
  /** Unique among live keys: letters, digits, `.`, `_`, `-`; up to 64 characters. */
  name: string;
  role: Role;
  /** Lifetime; undefined: never expires. */
  expiresInMs?: number | undefined;
  /** Tool patterns the key may call (see `permissions.ts`); default: every tool. */
  allow?: readonly string[] | undefined;
  /** Tool patterns the key may not call. */
  deny?: readonly string[] | undefined;
  /** Requests per minute; undefined: the service default; 0: no limit. */
  rateLimitPerMinute?: number | undefined;
}

/** What `rotate` takes. */
export interface RotateOptions {
  /** How long the old secret keeps working. */
  graceMs: number;
  /** A new lifetime from now; default: the old key's expiry. */
  expiresInMs?: number | undefined;
}

/**
 * Where a key stands: `active`; `rotating` (replaced, old secret still in its grace period);
 * `expired`, `revoked`, `rotated` (grace over): no longer accepted.
 */
export type TokenStatus = (typeof TOKEN_STATUSES)[number];

/** A key as listed: never its secret or hash. */
export interface TokenInfo extends TokenRecord {
  status: TokenStatus;
}

/** A new key: `token` is the secret, shown once and stored nowhere. */
export interface CreatedToken {
  token: string;
  record: TokenInfo;
}

/** A rotation: the new key and its secret, and the old key now in its grace period. */
export interface RotatedToken extends CreatedToken {
  previous: TokenInfo;
}

/** The outcome of a revocation: the key, and the ids revoked now (with predecessors still in grace). */
export interface RevokeResult {
  key: TokenInfo;
  revokedIds: string[];
}

/** Why a request is not authenticated. */
export type AuthFailureReason = 'missing' | 'unknown' | 'expired' | 'revoked' | 'rotated';

/** A failure to authenticate, with a message that tells the user what to do. */
export interface AuthFailure {
  code: AuthFailureReason;
  message: string;
}

/** The outcome of `authenticate`. */
export type AuthResult = { ok: true; value: Principal } | { ok: false; error: AuthFailure };

/** A refused key operation: bad input, an unknown key, or a taken name / a key that cannot be rotated (`conflict`). */
export class TokenError extends Error {
  constructor(
    readonly code: Extract<ErrorCode, 'bad_request' | 'not_found' | 'conflict'>,
    message: string,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

export interface TokenServiceOptions {
  tokens: TokensRepository;
  /** The bootstrap admin token (see `bootstrapTokenFromEnv`). */
  bootstrapToken?: string | undefined;
  /** The local session token (see `writeSessionToken`). */
  sessionToken?: string | undefined;
  /** The rate limit of keys created without one; default 600 a minute; 0: none. */
  defaultRateLimitPerMinute?: number;
  /** "Now" in ms; default `Date.now`. */
  clock?: () => number;
}

/** The prefix of every key secret. */
export const KEY_PREFIX = 'mo_';
/** Characters of a secret kept to find it and to show in lists: `mo_` and 6 more. */
export const SHOWN_PREFIX_LENGTH = KEY_PREFIX.length + 6;
const SECRET_LENGTH = KEY_PREFIX.length + 43;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MIN_BOOTSTRAP_LENGTH = 16;

/** The message of a request without a token: how to get one. */
export const MISSING_TOKEN_MESSAGE =
  'no token: create one with `mcp-orch token create --name <client> --role operator` and send it as ' +
  '`Authorization: Bearer <token>` (or `?access_token=<token>` for clients that cannot set headers); scripts may set MCP_ORCH_TOKEN';

/**
 * The bootstrap token in `env.MCP_ORCH_TOKEN`, or undefined when unset. Throws `TokenError` for a
 * value shorter than 16 characters: it grants admin rights, so it must not be guessable.
 */
export function bootstrapTokenFromEnv(env: Record<string, string | undefined>): string | undefined {
  const value = env.MCP_ORCH_TOKEN?.trim();
  if (!value) return undefined;
  if (value.length < MIN_BOOTSTRAP_LENGTH) {
    throw new TokenError(
      'bad_request',
      `MCP_ORCH_TOKEN is too short (${value.length} characters): use at least ${MIN_BOOTSTRAP_LENGTH}, e.g. \`openssl rand -hex 32\``,
    );
  }
  return value;
}

/** Where `record` stands at `now`: of the ends that have come, the earliest decides. */
export function tokenStatus(record: TokenRecord, now: number): TokenStatus {
  const ends: [TokenStatus, number][] = [];
  if (record.expiresAt !== undefined && record.expiresAt <= now) ends.push(['expired', record.expiresAt]);
  if (record.replacedBy !== undefined && record.graceUntil !== undefined && record.graceUntil <= now)
    ends.push(['rotated', record.graceUntil]);
  if (record.revokedAt !== undefined && record.revokedAt <= now) ends.push(['revoked', record.revokedAt]);
  const first = ends.reduce<[TokenStatus, number] | undefined>((best, end) => (best && best[1] <= end[1] ? best : end), undefined);
  if (first) return first[0];
  return record.replacedBy === undefined ? 'active' : 'rotating';
}

function sha256(text: string): Buffer {
  return hash('sha256', text, 'buffer');
}

export class TokenService {
  private readonly tokens: TokensRepository;
  private readonly bootstrapHash: Buffer | undefined;
  private readonly sessionHash: Buffer | undefined;
  private readonly defaultRate: number;
  private readonly now: () => number;

  constructor(options: TokenServiceOptions) {
    this.tokens = options.tokens;
    this.bootstrapHash = options.bootstrapToken ? sha256(options.bootstrapToken) : undefined;
    this.sessionHash = options.sessionToken ? sha256(options.sessionToken) : undefined;
    this.defaultRate = options.defaultRateLimitPerMinute ?? 600;
    this.now = options.clock ?? Date.now;
  }

  /** Creates a key; the secret in the result is the only copy. Throws `TokenError` for bad input or a taken name. */
  createToken(input: CreateTokenInput): CreatedToken {
    const now = this.now();
    const allow = [...(input.allow ?? [])];
    const deny = [...(input.deny ?? [])];
    if (!NAME.test(input.name)) {
      throw new TokenError(
        'bad_request',
        `invalid key name "${input.name}": use letters, digits, ".", "_" and "-" (up to 64, starting with a letter or digit)`,
      );
    }
    if (!isRole(input.role))
      throw new TokenError('bad_request', `invalid role "${String(input.role)}": expected admin, operator or viewer`);
    const expiresAt = input.expiresInMs === undefined ? undefined : now + positiveDuration(input.expiresInMs, 'expiry');
    for (const pattern of [...allow, ...deny]) {
      const problem = patternProblem(pattern);
      if (problem) throw new TokenError('bad_request', problem);
    }
    const rate = input.rateLimitPerMinute ?? this.defaultRate;
    if (!Number.isInteger(rate) || rate < 0)
      throw new TokenError('bad_request', `invalid rate limit ${rate}: expected a whole number of requests per minute, 0 for none`);
    const { token, hash, prefix } = newSecret();
    const fields = {
      id: newId(),
      role: input.role,
      secretHash: hash,
      prefix,
      createdAt: now,
      expiresAt,
      allow,
      deny,
      rateLimitPerMinute: rate || undefined,
    };
    try {
      return { token, record: this.info(this.tokens.create({ ...fields, name: input.name }, now), now) };
    } catch (error) {
      if (error instanceof NameTakenError) throw new TokenError('conflict', error.message);
      throw error;
    }
  }

  /** Keys by name; by default only those still accepted, with `all` also revoked, expired and rotated ones. */
  list(options: { all?: boolean } = {}): TokenInfo[] {
    const now = this.now();
    return this.tokens.list({ all: options.all, now }).map((record) => this.info(record, now));
  }

  /** The key with this id, or else the live key with this name. */
  get(idOrName: string): TokenInfo | undefined {
    const record = this.tokens.get(idOrName) ?? this.tokens.findLive(idOrName);
    return record && this.info(record, this.now());
  }

  /**
   * The key `keyId` and every key it replaced by rotation, back to the first: records made with
   * any of them belong to it. A token that is no key (bootstrap, session, local) is its own lineage.
   */
  lineage(keyId: string): string[] {
    const replaced = new Map<string, string>();
    for (const key of this.tokens.list({ all: true })) if (key.replacedBy) replaced.set(key.replacedBy, key.id);
    const ids = [keyId];
    for (let previous = replaced.get(keyId); previous !== undefined && !ids.includes(previous); previous = replaced.get(previous))
      ids.push(previous);
    return ids;
  }

  /**
   * Revokes a key (by id, or the live key of that name) and its predecessors still in their grace
   * period. Revoking an already revoked key changes nothing. Throws `TokenError` for an unknown key.
   */
  revoke(idOrName: string): RevokeResult {
    const now = this.now();
    const record = this.resolve(idOrName);
    const revokedIds = this.tokens.revoke(record.id, now);
    return { key: this.info(this.tokens.get(record.id) ?? record, now), revokedIds };
  }

  /**
   * Replaces an active key by a new one with the same name, role, permissions and limit; the old
   * secret keeps working for `graceMs`. Throws `TokenError` for an unknown key or one that is
   * expired, revoked or already rotated.
   */
  rotate(idOrName: string, options: RotateOptions): RotatedToken {
    const now = this.now();
    const old = this.info(this.resolve(idOrName), now);
    if (old.status !== 'active') {
      throw new TokenError(
        'conflict',
        `the key "${old.name}" (${old.id}) is ${old.status}: only an active key can be rotated${old.status === 'rotating' ? `; rotate its replacement ${old.replacedBy ?? ''}` : ''}`,
      );
    }
    const graceMs = options.graceMs === 0 ? 0 : positiveDuration(options.graceMs, 'grace period');
    const expiresAt = options.expiresInMs === undefined ? old.expiresAt : now + positiveDuration(options.expiresInMs, 'expiry');
    const { token, hash, prefix } = newSecret();
    const next: NewToken = {
      id: newId(),
      name: old.name,
      role: old.role,
      secretHash: hash,
      prefix,
      createdAt: now,
      expiresAt,
      allow: old.allow,
      deny: old.deny,
      rateLimitPerMinute: old.rateLimitPerMinute,
    };
    try {
      const record = this.tokens.rotate(old.id, next, now + graceMs);
      return { token, record: this.info(record, now), previous: this.info(this.tokens.get(old.id) ?? old, now) };
    } catch (error) {
      if (error instanceof NotLiveError) throw new TokenError('conflict', error.message);
      throw error;
    }
  }

  /**
   * The principal of `secret` (the bootstrap token, the session token, or a key that is active or in
   * its grace period), counting the use; or why not, with what to do about it.
   */
  authenticate(secret: string | undefined): AuthResult {
    if (!secret) return fail('missing', MISSING_TOKEN_MESSAGE);
    const hash = sha256(secret);
    if (this.bootstrapHash && timingSafeEqual(hash, this.bootstrapHash)) return { ok: true, value: fixedPrincipal('bootstrap') };
    if (this.sessionHash && timingSafeEqual(hash, this.sessionHash)) return { ok: true, value: fixedPrincipal('session') };
    const found =
      secret.startsWith(KEY_PREFIX) && secret.length === SECRET_LENGTH
        ? this.tokens.findByPrefix(secret.slice(0, SHOWN_PREFIX_LENGTH)).find((candidate) => sameHash(candidate.secretHash, hash))
        : undefined;
    if (!found) {
      return fail(
        'unknown',
        'unknown token: it is not a key of this MCP Orch (mistyped, or deleted). List keys with `mcp-orch token list`; create one with `mcp-orch token create --name <client> --role operator`',
      );
    }
    const now = this.now();
    const key = found.record;
    const status = tokenStatus(key, now);
    const which = `the key "${key.name}" (${key.prefix}…)`;
    switch (status) {
      case 'expired':
        return fail(
          'expired',
          `${which} expired on ${iso(key.expiresAt)}: create a new one with \`mcp-orch token create --name ${key.name} --role ${key.role}\``,
        );
      case 'revoked':
        return fail('revoked', `${which} was revoked on ${iso(key.revokedAt)}: ask for a new key`);
      case 'rotated':
        return fail('rotated', `${which} was rotated and its grace period ended on ${iso(key.graceUntil)}: use its replacement`);
      case 'active':
      case 'rotating':
        this.tokens.recordUse(key.id, now);
        return {
          ok: true,
          value: {
            keyId: key.id,
            name: key.name,
            role: key.role,
            allow: key.allow,
            deny: key.deny,
            rateLimitPerMinute: key.rateLimitPerMinute,
            kind: 'key',
          },
        };
    }
  }

  private resolve(idOrName: string): TokenRecord {
    const record = this.tokens.get(idOrName) ?? this.tokens.findLive(idOrName);
    if (!record) throw new TokenError('not_found', `no key with the id or name "${idOrName}": see \`mcp-orch token list --all\``);
    return record;
  }

  private info(record: TokenRecord, now: number): TokenInfo {
    return { ...record, status: tokenStatus(record, now) };
  }
}

/** Constant-time comparison of a stored hex hash with a digest. */
function sameHash(storedHex: string, digest: Buffer): boolean {
  const stored = Buffer.from(storedHex, 'hex');
  return stored.length === digest.length && timingSafeEqual(stored, digest);
}

function newSecret(): { token: string; hash: string; prefix: string } {
  const token = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: sha256(token).toString('hex'), prefix: token.slice(0, SHOWN_PREFIX_LENGTH) };
}

function newId(): string {
  return `key_${randomBytes(8).toString('hex')}`;
}

function positiveDuration(ms: number, what: string): number {
  if (!Number.isSafeInteger(ms) || ms <= 0)
    throw new TokenError('bad_request', `invalid ${what} ${ms}: expected a positive duration in ms`);
  return ms;
}

function fixedPrincipal(kind: 'bootstrap' | 'session'): Principal {
  return { keyId: kind, name: `(${kind})`, role: 'admin', allow: [], deny: [], rateLimitPerMinute: undefined, kind };
}

function fail(code: AuthFailureReason, message: string): AuthResult {
  return { ok: false, error: { code, message } };
}

function iso(time: number | undefined): string {
  return time === undefined ? 'an unknown date' : new Date(time).toISOString();
}
