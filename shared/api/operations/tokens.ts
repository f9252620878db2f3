/** `/api/tokens` and `/api/audit`: API keys and the audit log (docs/specification.md §7). Admin only. */
import { z } from 'zod';
import { ROLES, defineOperation } from '../contract.js';
import { pageCursor, pageLimit, pageOf, timestamp } from './common.js';

/**
 * A tool permission pattern: `<server>__<tool>` with `*` (any run) and `?` (one character), e.g.
 * `github__*`, `*__read_*`; a pattern without `__` names a whole server.
 */
export const toolPatternSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^\s\p{Cc}]+$/u, 'a tool pattern has no whitespace or control characters');

const patterns = z.array(toolPatternSchema).max(256);

/** A key as listed: never its secret, only the secret's first characters. */
/** `rotating`: replaced, the old secret still works for its grace period; `rotated`: replaced and past it. */
export const TOKEN_STATUSES = ['active', 'rotating', 'expired', 'revoked', 'rotated'] as const;

export const tokenInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  status: z.enum(TOKEN_STATUSES),
  /** The first characters of the secret, e.g. `mo_ab12Cd`, to tell keys apart. */
  prefix: z.string(),
  createdAt: timestamp,
  /** Absent: never expires. */
  expiresAt: timestamp.optional(),
  revokedAt: timestamp.optional(),
  /** The key that replaced this one in a rotation. */
  replacedBy: z.string().optional(),
  /** Until when a rotated key keeps working. */
  graceUntil: timestamp.optional(),
  /** Tool patterns the key may call; empty: every tool. */
  allow: z.array(z.string()),
  /** Tool patterns it may not call; they win over `allow`. */
  deny: z.array(z.string()),
  /** Absent: no limit. */
  rateLimitPerMinute: z.number().int().positive().optional(),
  usageCount: z.number().int().nonnegative(),
  lastUsedAt: timestamp.optional(),
});

/** A new secret: shown in this answer only, stored hashed. */
const withSecret = z.object({ token: tokenInfoSchema, secret: z.string() });

const byId = z.object({ id: z.string().min(1).max(128).describe('key id, or the name of a live key') });

export const AUDIT_OUTCOMES = ['ok', 'error', 'denied'] as const;

export const auditRecordSchema = z.object({
  id: z.number().int().positive(),
  time: timestamp,
  keyId: z.string().optional(),
  /** The key's name, or `(bootstrap)` / `(session)`. */
  keyName: z.string().optional(),
  /** An operation id (`servers.restart`) or `tools/call`. */
  action: z.string(),
  /** A server name, a namespaced tool name… */
  target: z.string().optional(),
  outcome: z.enum(AUDIT_OUTCOMES),
  /** A little context; never secrets. */
  details: z.unknown().optional(),
});

export const tokenOperations = {
  list: defineOperation({
    id: 'tokens.list',
    method: 'GET',
    path: '/api/tokens',
    summary: 'API keys (never their secrets)',
    role: 'admin',
    mutating: false,
    input: z.object({ all: z.boolean().optional().describe('include revoked, expired and rotated-out keys') }),
    output: z.object({ tokens: z.array(tokenInfoSchema) }),
    errors: [],
  }),
  create: defineOperation({
    id: 'tokens.create',
    method: 'POST',
    path: '/api/tokens',
    summary: 'Create an API key; the answer is the only time its secret is shown',
    role: 'admin',
    mutating: true,
    input: z.object({
      name: z
        .string()
        .min(1)
        .max(64)
        .regex(/^[^\s\p{Cc}]+$/u, 'a key name has no whitespace or control characters'),
      role: z.enum(ROLES),
      expiresInMs: z.number().int().min(60_000).optional().describe('lifetime; absent: never expires'),
      allow: patterns.default([]),
      deny: patterns.default([]),
      rateLimitPerMinute: z.number().int().min(0).max(1_000_000).optional().describe('requests per minute; 0: no limit; default 600'),
    }),
    output: withSecret,
    status: 201,
    errors: ['conflict'],
  }),
  revoke: defineOperation({
    id: 'tokens.revoke',
    method: 'DELETE',
    path: '/api/tokens/{id}',
    summary: 'Revoke a key, and its predecessors still in a rotation grace period',
    role: 'admin',
    mutating: true,
    input: byId,
    output: z.object({
      revoked: z.array(z.string()).describe('ids revoked; empty if it already was'),
      token: tokenInfoSchema.describe('the key as it stands now'),
    }),
    errors: ['not_found'],
  }),
  rotate: defineOperation({
    id: 'tokens.rotate',
    method: 'POST',
    path: '/api/tokens/{id}/rotate',
    summary: 'Replace a key by a new one with the same name and rights; the old secret works for a grace period',
    role: 'admin',
    mutating: true,
    input: byId.extend({
      graceMs: z
        .number()
        .int()
        .min(0)
        .max(30 * 86_400_000)
        .optional()
        .describe('how long the old secret keeps working; default 1 hour'),
      expiresInMs: z.number().int().min(60_000).optional().describe("the new key's lifetime from now; default the old key's expiry"),
    }),
    output: withSecret.extend({ previous: tokenInfoSchema }),
    status: 201,
    errors: ['not_found', 'conflict'],
  }),
} as const;

export const auditOperations = {
  list: defineOperation({
    id: 'audit.list',
    method: 'GET',
    path: '/api/audit',
    summary: 'The audit log: every mutating API call and every tool call, newest first',
    role: 'admin',
    mutating: false,
    input: z.object({
      keyName: z.string().min(1).optional(),
      action: z.string().min(1).optional().describe('exact, or a prefix ending in "*": servers.*'),
      target: z.string().min(1).optional(),
      outcome: z.enum(AUDIT_OUTCOMES).optional(),
      since: timestamp.optional(),
      until: timestamp.optional(),
      limit: pageLimit(100),
      before: pageCursor,
    }),
    output: pageOf(auditRecordSchema),
    errors: [],
  }),
} as const;
