/** `/api/servers`: the configured servers, their lifecycle and their logs (docs/specification.md §4, §7). */
import { z } from 'zod';
import { TRANSPORTS } from '../../config.js';
import { defineOperation } from '../contract.js';
import { durationMs, serverName, timestamp } from './common.js';

/**
 * `stopped → starting → running → (crashed → backoff → starting) | failed`, and `disabled`;
 * `needs-sign-in`: a remote server that asks for a sign-in waits for one (it is not retried).
 */
export const SERVER_STATES = ['stopped', 'starting', 'running', 'crashed', 'backoff', 'failed', 'disabled', 'needs-sign-in'] as const;
export const serverStateSchema = z.enum(SERVER_STATES);

/** A remote server's sign-in (OAuth), as anyone who may see the server may see it: never a token. */
export const serverSignInSchema = z.object({
  /** Whether MCP Orch holds an access token (or a refresh token) for the server. */
  signedIn: z.boolean(),
  /** Why a sign-in is needed now, and what to do; absent while none is. */
  problem: z.string().optional(),
  /** The scopes granted, as the authorization server said. */
  scope: z.string().optional(),
  /** When the access token expires (it is refreshed on its own while a refresh token is held). */
  expiresAt: timestamp.optional(),
  /** A sign-in was started and waits for the browser's redirect. */
  pending: z.boolean(),
});
/** `ServerSupervisor.status()`. */
export const serverStatusSchema = z.object({
  name: serverName,
  state: serverStateSchema,
  pid: z.number().int().positive().optional(),
  /** When the current process became `running`. */
  startedAt: timestamp.optional(),
  /** Restarts after crashes since the last manual start. */
  restarts: z.number().int().nonnegative(),
  /** The last error in words: spawn error, exit code, handshake failure. */
  lastError: z.string().optional(),
  exitCode: z.number().int().nullable().optional(),
  signal: z.string().nullable().optional(),
  /** Milliseconds until the next start, in `backoff`. */
  retryInMs: durationMs.optional(),
  /** Remote servers that sign in with OAuth: where the sign-in stands. */
  signIn: serverSignInSchema.optional(),
});

/** A server as the list shows it: its status plus what the dashboard's cards need. */
export const serverSummarySchema = serverStatusSchema.extend({
  transport: z.enum(TRANSPORTS),
  sessionMode: z.enum(['shared', 'per-session']),
  /** Tools the server offers (enabled or not); from the cache while it starts. */
  toolCount: z.number().int().nonnegative(),
  /** The per-server endpoints. */
  endpoints: z.object({ streamableHttp: z.string(), sse: z.string() }),
});

const MASKED = 'values are masked: secrets never leave the daemon';

/** A server's configuration as resolved, with env and header values masked. */
export const maskedServerConfigSchema = z.object({
  transport: z.enum(TRANSPORTS),
  command: z.string().optional(),
  args: z.array(z.string()),
  cwd: z.string().optional(),
  url: z.string().optional(),
  env: z.record(z.string(), z.string()).describe(MASKED),
  headers: z.record(z.string(), z.string()).describe(MASKED),
  timeoutMs: durationMs,
  autoApprove: z.array(z.string()),
  disabled: z.boolean(),
  sessionMode: z.enum(['shared', 'per-session']),
});

export const serverDetailSchema = serverSummarySchema.extend({
  config: maskedServerConfigSchema,
  /** From the upstream's `initialize` result, while it runs. */
  serverInfo: z.looseObject({ name: z.string(), version: z.string().optional() }).optional(),
  protocolVersion: z.string().optional(),
  capabilities: z.record(z.string(), z.unknown()).optional(),
  instructions: z.string().optional(),
});

export const LOG_STREAMS = ['stderr', 'stdout', 'system'] as const;

export const logEntrySchema = z.object({
  time: timestamp,
  stream: z.enum(LOG_STREAMS),
  line: z.string(),
});

const byName = z.object({ name: serverName });
const lifecycleErrors = ['unknown_server', 'conflict'] as const;

export const serverOperations = {
  list: defineOperation({
    id: 'servers.list',
    method: 'GET',
    path: '/api/servers',
    summary: 'List the configured servers with their status',
    role: 'viewer',
    mutating: false,
    input: z.object({}),
    output: z.object({ servers: z.array(serverSummarySchema) }),
    errors: [],
  }),
  status: defineOperation({
    id: 'servers.status',
    method: 'GET',
    path: '/api/servers/{name}',
    summary: "One server's status, masked configuration and upstream info",
    role: 'viewer',
    mutating: false,
    input: byName,
    output: serverDetailSchema,
    errors: ['unknown_server'],
  }),
  start: defineOperation({
    id: 'servers.start',
    method: 'POST',
    path: '/api/servers/{name}/start',
    summary: 'Start a server; answers once the first attempt has ended',
    description: 'A disabled server answers 409: enable it first.',
    role: 'operator',
    acts: { server: 'name' },
    mutating: true,
    input: byName,
    output: serverSummarySchema,
    errors: lifecycleErrors,
  }),
  stop: defineOperation({
    id: 'servers.stop',
    method: 'POST',
    path: '/api/servers/{name}/stop',
    summary: 'Stop a server (stdin close, SIGTERM, SIGKILL)',
    role: 'operator',
    acts: { server: 'name' },
    mutating: true,
    input: byName,
    output: serverSummarySchema,
    errors: ['unknown_server'],
  }),
  restart: defineOperation({
    id: 'servers.restart',
    method: 'POST',
    path: '/api/servers/{name}/restart',
    summary: 'Restart a server and reset its crash backoff',
    role: 'operator',
    acts: { server: 'name' },
    mutating: true,
    input: byName,
    output: serverSummarySchema,
    errors: lifecycleErrors,
  }),
  enable: defineOperation({
    id: 'servers.enable',
    method: 'POST',
    path: '/api/servers/{name}/enable',
    summary: 'Enable a server in mcp-config.json and start it',
    description: 'Rewrites the config file, which changes what every client sees: admin only.',
    role: 'admin',
    mutating: true,
    input: byName,
    output: serverSummarySchema,
    errors: ['unknown_server', 'invalid_config', 'conflict'],
  }),
  disable: defineOperation({
    id: 'servers.disable',
    method: 'POST',
    path: '/api/servers/{name}/disable',
    summary: 'Disable a server in mcp-config.json and stop it',
    description: 'Rewrites the config file, which changes what every client sees: admin only.',
    role: 'admin',
    mutating: true,
    input: byName,
    output: serverSummarySchema,
    errors: ['unknown_server', 'invalid_config', 'conflict'],
  }),
  signIn: defineOperation({
    id: 'servers.signIn',
    method: 'POST',
    path: '/api/servers/{name}/sign-in',
    summary: 'Start signing in to a remote server (OAuth): opens the system browser at the authorization page',
    description:
      'Answers the authorization URL (also when `openBrowser` is false, for a person to open it). The browser comes back to ' +
      "the daemon's `/oauth/callback`; the server then reconnects. `signed-in`: a saved refresh token sufficed. Admin only.",
    role: 'admin',
    mutating: true,
    input: byName.extend({ openBrowser: z.boolean().optional().describe('open the system browser (default true)') }),
    output: z.discriminatedUnion('status', [
      z.object({
        status: z.literal('redirect'),
        authorizationUrl: z.string(),
        /** When this sign-in's link stops working. */
        expiresAt: timestamp,
        /** Whether a browser was opened. */
        opened: z.boolean(),
      }),
      z.object({ status: z.literal('signed-in') }),
    ]),
    errors: ['unknown_server', 'conflict', 'server_unavailable'],
  }),
  signOut: defineOperation({
    id: 'servers.signOut',
    method: 'POST',
    path: '/api/servers/{name}/sign-out',
    summary: "Forget a remote server's tokens (and registered client); it then needs a sign-in again",
    role: 'admin',
    mutating: true,
    input: byName,
    output: serverSummarySchema,
    errors: ['unknown_server', 'conflict'],
  }),
  logs: defineOperation({
    id: 'servers.logs',
    method: 'GET',
    path: '/api/servers/{name}/logs',
    summary: "The newest lines of a server's log (stderr, stray stdout, supervisor notes)",
    role: 'viewer',
    mutating: false,
    input: byName.extend({
      limit: z.number().int().min(1).max(1000).optional().describe('newest lines to return, 1 to 1000; default 200'),
      stream: z.enum(LOG_STREAMS).optional(),
      since: timestamp.optional().describe('only lines at or after this time'),
    }),
    output: z.object({ server: serverName, entries: z.array(logEntrySchema) }),
    errors: ['unknown_server'],
  }),
} as const;
