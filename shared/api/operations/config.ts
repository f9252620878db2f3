/** `/api/config` and `/api/mode`: read, validate and write mcp-config.json (docs/specification.md §2, §7). */
import { z } from 'zod';
import { configFileSchema } from '../../config.js';
import { defineOperation } from '../contract.js';
import { issueSchema, serverName, timestamp } from './common.js';

export const MODES = ['proxy', 'batch'] as const;
export const modeSchema = z.enum(MODES);

/** Largest config text accepted, in characters. */
export const MAX_CONFIG_TEXT = 1_048_576;

const configText = z.string().max(MAX_CONFIG_TEXT).describe('the whole file, JSON or JSONC');

/** An opaque version of the file's text: a write carrying an older one answers 409. */
const revision = z.string().min(1).max(128);

/** What a reload changed, by server name (and `orch` key). */
export const reloadDiffSchema = z.object({
  added: z.array(serverName),
  removed: z.array(serverName),
  restarted: z.array(serverName),
  updated: z.array(serverName),
  enabled: z.array(serverName),
  disabled: z.array(serverName),
  orch: z.array(z.string()),
});

/** The outcome of applying a configuration (a write, or a change seen on disk). */
export const reloadResultSchema = z.object({
  ok: z.boolean(),
  time: timestamp,
  /** The problems of an invalid file; the running configuration stays. */
  issues: z.array(issueSchema).optional(),
  diff: reloadDiffSchema.optional(),
  /** `orch` settings that take effect only after the daemon restarts (port, host…). */
  needsRestart: z.array(z.string()).optional(),
});

export const configOperations = {
  get: defineOperation({
    id: 'config.get',
    method: 'GET',
    path: '/api/config',
    summary: 'The config file: its text, what it parses to, and its problems',
    description:
      'Admin only: the text may hold secrets. `parsed` is absent when the file on disk is invalid (the last good configuration keeps running).',
    role: 'admin',
    mutating: false,
    input: z.object({}),
    output: z.object({
      path: z.string(),
      text: z.string(),
      revision,
      parsed: configFileSchema.optional(),
      issues: z.array(issueSchema),
      lastReload: reloadResultSchema.optional(),
    }),
    errors: [],
  }),
  validate: defineOperation({
    id: 'config.validate',
    method: 'POST',
    path: '/api/config/validate',
    summary: 'Check a config text without saving it',
    description: 'Every problem names its JSON path: syntax, schema, and missing environment variables.',
    role: 'admin',
    mutating: true,
    input: z.object({ text: configText }),
    output: z.object({ valid: z.boolean(), issues: z.array(issueSchema) }),
    errors: [],
  }),
  put: defineOperation({
    id: 'config.put',
    method: 'PUT',
    path: '/api/config',
    summary: 'Validate, save (atomically, keeping one backup) and apply a config text',
    description: 'An invalid text answers 400 `invalid_config` with `details.issues`; a stale `revision` answers 409.',
    role: 'admin',
    mutating: true,
    input: z.object({ text: configText, revision: revision.optional().describe('the revision the edit started from') }),
    output: z.object({ revision, reload: reloadResultSchema }),
    errors: ['invalid_config', 'conflict'],
  }),
} as const;

export const modeOperations = {
  get: defineOperation({
    id: 'mode.get',
    method: 'GET',
    path: '/api/mode',
    summary: 'The current mode: proxy, or batch (adds batch_execute and plan_and_execute)',
    role: 'viewer',
    mutating: false,
    input: z.object({}),
    output: z.object({ mode: modeSchema }),
    errors: [],
  }),
  set: defineOperation({
    id: 'mode.set',
    method: 'PUT',
    path: '/api/mode',
    summary: 'Switch the mode (saved as orch.mode)',
    role: 'admin',
    mutating: true,
    input: z.object({ mode: modeSchema }),
    output: z.object({ mode: modeSchema }),
    errors: ['invalid_config'],
  }),
} as const;
