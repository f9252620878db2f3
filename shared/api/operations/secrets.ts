/**
 * `/api/secrets`: the values `${secret:NAME}` in the config file refers to (planner API keys,
 * remote servers' tokens). They can be set and cleared, and listed by name; a value never leaves
 * the daemon. Admin only.
 */
import { z } from 'zod';
import { defineOperation } from '../contract.js';
import { reloadResultSchema } from './config.js';
import { timestamp } from './common.js';

/** A secret's name: a letter or `_`, then letters, digits and `_`; at most 128 characters. */
export const SECRET_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** The largest value accepted, in UTF-8 bytes: tokens and keys, not files. */
export const MAX_SECRET_BYTES = 64 * 1024;

export const SECRET_SOURCES = ['keychain', 'file', 'environment'] as const;

const secretName = z
  .string()
  .regex(SECRET_NAME_PATTERN, 'a secret name is letters, digits and _, not starting with a digit, at most 128 characters')
  .describe('as written in ${secret:NAME}');

/** A secret as listed: its name, where it lives and when it was set; never its value. */
export const secretInfoSchema = z.object({
  name: secretName,
  /** `keychain` (the app), `file` (MCP_ORCH_SECRETS_FILE) or `environment` (MCP_ORCH_SECRET_NAME, read-only). */
  source: z.enum(SECRET_SOURCES),
  /** Absent for the environment. */
  setAt: timestamp.optional(),
});

export const secretOperations = {
  list: defineOperation({
    id: 'secrets.list',
    method: 'GET',
    path: '/api/secrets',
    summary: 'The secrets by name and source (never their values)',
    role: 'admin',
    mutating: false,
    input: z.object({}),
    output: z.object({ secrets: z.array(secretInfoSchema) }),
    errors: [],
  }),
  set: defineOperation({
    id: 'secrets.set',
    method: 'PUT',
    path: '/api/secrets/{name}',
    summary: 'Store a secret; servers whose config refers to it are re-applied',
    description:
      'The value is stored and never answered back. 409 `conflict` when this daemon has no writable secret store (headless without MCP_ORCH_SECRETS_FILE).',
    role: 'admin',
    mutating: true,
    input: z.object({
      name: secretName,
      value: z.string().min(1).max(MAX_SECRET_BYTES).describe('the secret; write-only'),
    }),
    output: z.object({ secret: secretInfoSchema, reload: reloadResultSchema.optional().describe('when the config refers to this secret') }),
    errors: ['conflict', 'server_unavailable'],
  }),
  clear: defineOperation({
    id: 'secrets.clear',
    method: 'DELETE',
    path: '/api/secrets/{name}',
    summary: 'Forget a stored secret; servers whose config refers to it are re-applied',
    role: 'admin',
    mutating: true,
    input: z.object({ name: secretName }),
    output: z.object({
      name: secretName,
      cleared: z.boolean().describe('false when it was not stored'),
      reload: reloadResultSchema.optional().describe('when the config refers to this secret'),
    }),
    errors: ['conflict', 'server_unavailable'],
  }),
} as const;
