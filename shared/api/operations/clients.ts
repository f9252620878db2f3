/**
 * `/api/clients` and `/api/import`: connect an MCP client to MCP Orch by writing its own config
 * file (a key made for it, the change shown as a diff with the key masked, a backup, an undo), and
 * import servers from those clients' configs into mcp-config.json. Admin only: these read and
 * write files of the user's other programs.
 */
import { z } from 'zod';
import { CLIENT_KINDS } from '../../client-config.js';
import { TRANSPORTS } from '../../config.js';
import { defineOperation } from '../contract.js';
import { issueSchema, serverName, timestamp } from './common.js';
import { tokenInfoSchema } from './tokens.js';

export const clientKindSchema = z.enum(CLIENT_KINDS);

/** What is written into a client: one entry for the aggregated endpoint, or one per enabled server. */
export const CONNECT_SCOPES = ['aggregate', 'servers'] as const;

/** One client's config file on this machine. */
export const clientFileSchema = z.object({
  client: clientKindSchema,
  /** The client's name for people: `Claude Desktop`. */
  label: z.string(),
  /** Where this client keeps its MCP servers on this machine. */
  path: z.string(),
  exists: z.boolean(),
  /** Names of the servers the file lists. */
  servers: z.array(z.string()),
  /** Entries that point at this daemon. */
  connected: z.array(z.string()),
  /** The last connect made from here, while it can be undone. */
  undo: z.object({ time: timestamp, keyName: z.string(), entries: z.array(z.string()) }).optional(),
  /** Why the file could not be read (bad JSON…); it is then left alone. */
  error: z.string().optional(),
});

/** A change to a client's file, as a unified diff; the key's secret is masked in it. */
export const fileChangeSchema = z.object({
  client: clientKindSchema,
  path: z.string(),
  /** False when the file will be created. */
  exists: z.boolean(),
  /** Unified diff of the file, with the secret masked. */
  diff: z.string(),
  /** The entries added or replaced. */
  entries: z.array(z.string()),
  /** Entries of the same name that are replaced. */
  replaced: z.array(z.string()),
});

const byClient = z.object({ client: clientKindSchema });
const scope = z
  .enum(CONNECT_SCOPES)
  .default('aggregate')
  .describe('one entry for the aggregated endpoint (default), or one per enabled server');

/** A server found in a client's config, as the import preview shows it (values masked). */
export const importCandidateSchema = z.object({
  name: z.string(),
  transport: z.enum(TRANSPORTS),
  command: z.string().optional(),
  args: z.array(z.string()),
  url: z.string().optional(),
  /** Names only: values are secrets. */
  envKeys: z.array(z.string()),
  headerKeys: z.array(z.string()),
  /** A server of this name is already in mcp-config.json. */
  clash: z.boolean(),
  /** The entry points at this daemon itself: importing it would loop. */
  self: z.boolean(),
});

export const importSourceSchema = z.object({
  client: clientKindSchema,
  label: z.string(),
  path: z.string(),
  servers: z.array(importCandidateSchema),
  error: z.string().optional(),
});

const importChoice = z.object({
  client: clientKindSchema,
  name: z.string().min(1).max(256),
  /** The name in mcp-config.json; default the same. Give one to resolve a clash. */
  as: serverName.optional(),
});

export const clientOperations = {
  list: defineOperation({
    id: 'clients.list',
    method: 'GET',
    path: '/api/clients',
    summary: 'The MCP clients this daemon can connect, their config files on this machine, and what they list',
    role: 'admin',
    mutating: false,
    input: z.object({}),
    output: z.object({ clients: z.array(clientFileSchema) }),
    errors: [],
  }),
  preview: defineOperation({
    id: 'clients.preview',
    method: 'GET',
    path: '/api/clients/{client}/preview',
    summary: "The change connecting would make to the client's config file, as a diff (the key is not created yet)",
    role: 'admin',
    mutating: false,
    input: byClient.extend({ scope }),
    output: fileChangeSchema,
    errors: ['invalid_config', 'not_found'],
  }),
  connect: defineOperation({
    id: 'clients.connect',
    method: 'POST',
    path: '/api/clients/{client}/connect',
    summary: "Create a key for the client and write it into the client's config file, keeping a backup",
    description:
      'The answer shows the change with the secret masked; the secret itself is only in the file. A file that is not valid JSON answers 400 and is left alone.',
    role: 'admin',
    mutating: true,
    input: byClient.extend({ scope }),
    output: fileChangeSchema.extend({ key: tokenInfoSchema, backupPath: z.string().optional() }),
    errors: ['invalid_config', 'not_found'],
  }),
  undo: defineOperation({
    id: 'clients.undo',
    method: 'POST',
    path: '/api/clients/{client}/undo',
    summary: 'Put back the file as it was before the last connect, and revoke the key made for it',
    description: 'Answers 404 when there is nothing to undo, 409 when the file changed since the connect (the backup is named).',
    role: 'admin',
    mutating: true,
    input: byClient,
    output: z.object({ client: clientKindSchema, path: z.string(), restored: z.enum(['backup', 'removed']), revoked: z.array(z.string()) }),
    errors: ['not_found', 'conflict'],
  }),
} as const;

export const importOperations = {
  scan: defineOperation({
    id: 'import.scan',
    method: 'GET',
    path: '/api/import',
    summary: 'Servers found in the config files of Claude Desktop, Cline, Cursor, VS Code, Windsurf and Claude Code on this machine',
    description: 'Values of env and headers are never shown. `clash` marks names mcp-config.json already has.',
    role: 'admin',
    mutating: false,
    input: z.object({}),
    output: z.object({ sources: z.array(importSourceSchema) }),
    errors: [],
  }),
  apply: defineOperation({
    id: 'import.apply',
    method: 'POST',
    path: '/api/import',
    summary: 'Merge chosen servers into mcp-config.json (or, with dryRun, show the result first)',
    description:
      'A chosen name that clashes with a configured server answers 409 listing the clashes, unless `as` renames it. The merged file is validated and applied through hot reload.',
    role: 'admin',
    mutating: true,
    input: z.object({ servers: z.array(importChoice).min(1).max(500), dryRun: z.boolean().optional() }),
    output: z.object({
      added: z.array(serverName),
      clashes: z.array(z.object({ client: clientKindSchema, name: z.string() })),
      /** Unified diff of mcp-config.json (env and header values masked). */
      diff: z.string(),
      applied: z.boolean(),
      issues: z.array(issueSchema),
    }),
    errors: ['not_found', 'conflict', 'invalid_config'],
  }),
} as const;
