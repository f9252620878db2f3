/**
 * The schema of `mcp-config.json` (docs/specification.md §2): Claude Desktop / Cline compatible `mcpServers`, plus
 * MCP Orch's own optional `orch` block. Runtime-neutral: no node:*, no DOM.
 *
 * Objects are loose (`z.looseObject`) so unknown fields survive a read-modify-write round trip.
 */
import { z } from 'zod';

export const TRANSPORTS = ['stdio', 'sse', 'streamableHttp'] as const;
export type TransportKind = (typeof TRANSPORTS)[number];

/** Spellings other tools write for a transport, mapped to ours. */
const TRANSPORT_ALIASES: Record<string, TransportKind> = {
  stdio: 'stdio',
  sse: 'sse',
  streamableHttp: 'streamableHttp',
  'streamable-http': 'streamableHttp',
  streamable_http: 'streamableHttp',
  http: 'streamableHttp',
};

const transportName = z
  .string()
  .refine((value) => value in TRANSPORT_ALIASES, {
    message: `expected one of ${Object.keys(TRANSPORT_ALIASES).join(', ')}`,
  });

const stringMap = z.record(z.string(), z.string());

export const serverConfigSchema = z
  .looseObject({
    command: z.string().min(1).optional(),
    args: z.array(z.string()).optional(),
    env: stringMap.optional(),
    cwd: z.string().min(1).optional(),
    /** Seconds per tool call. */
    timeout: z.number().positive().max(86_400).optional(),
    autoApprove: z.array(z.string()).optional(),
    transportType: transportName.optional(),
    /** Cline writes `type`; VS Code writes `type: "http"`. */
    type: transportName.optional(),
    url: z.url({ protocol: /^https?$/ }).optional(),
    headers: stringMap.optional(),
    disabled: z.boolean().optional(),
    /** `shared` (default): one upstream for all client sessions; `per-session`: one each. */
    sessionMode: z.enum(['shared', 'per-session']).optional(),
  })
  .superRefine((server, ctx) => {
    const named = server.transportType ?? server.type;
    if (named !== undefined && !(named in TRANSPORT_ALIASES)) return; // already reported
    const transport = transportOf(server);
    if (transport === 'stdio' && !server.command) {
      ctx.addIssue({ code: 'custom', path: ['command'], message: 'a stdio server needs "command"' });
    }
    if (transport !== 'stdio' && !server.url) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: `a ${transport} server needs "url"` });
    }
  });

export type ServerConfig = z.infer<typeof serverConfigSchema>;

export const orchConfigSchema = z.looseObject({
  port: z.number().int().min(0).max(65_535).optional(),
  host: z.string().min(1).optional(),
  mode: z.enum(['proxy', 'batch']).optional(),
  namespaceSeparator: z.string().min(1).max(4).regex(/^[A-Za-z0-9_.-]+$/).optional(),
  /** Minutes a client session may stay idle before it is closed. */
  sessionIdleMinutes: z.number().positive().optional(),
  /** Extra origins (besides loopback ones) allowed to call the endpoints from a browser. */
  allowedOrigins: z.array(z.string()).optional(),
  /** Extra Host header values allowed (besides loopback names and the bound host). */
  allowedHosts: z.array(z.string()).optional(),
  /** Tools switched off, per server: hidden from every listing and refused when called. */
  disabledTools: z.record(z.string(), z.array(z.string())).optional(),
  /** The SQLite database file; default `<app data>/mcp-orch.db`. */
  database: z.string().min(1).optional(),
  /** How long the call log keeps entries, and how many at most. */
  retention: z
    .looseObject({
      days: z.number().positive().optional(),
      maxCalls: z.number().int().positive().optional(),
    })
    .optional(),
  /** Batch mode (docs/specification.md §6). */
  batch: z
    .looseObject({
      /** Runs every plan without asking for approval, whatever its tools. */
      approveAll: z.boolean().optional(),
      /** Result text of a task longer than this is cut in the `batch_execute` report; default 2,000. */
      maxResultChars: z.number().int().positive().optional(),
      /** Most tasks of one run on one server at once (the plan's maxConcurrency bounds the whole run); default: no limit of its own. */
      perServerConcurrency: z.number().int().positive().max(1000).optional(),
    })
    .optional(),
  llm: z.looseObject({}).optional(),
});

export type OrchConfig = z.infer<typeof orchConfigSchema>;

export const configFileSchema = z.looseObject({
  mcpServers: z
    .record(z.string().min(1, 'a server name cannot be empty'), serverConfigSchema)
    .default({}),
  orch: orchConfigSchema.optional(),
});

export type ConfigFile = z.infer<typeof configFileSchema>;

/** The transport a server entry uses: explicit, or inferred from `url`/`command`. */
export function transportOf(server: Pick<ServerConfig, 'transportType' | 'type' | 'url'>): TransportKind {
  const named = server.transportType ?? server.type;
  if (named) return TRANSPORT_ALIASES[named] ?? 'stdio';
  return server.url ? 'streamableHttp' : 'stdio';
}

export const DEFAULTS = {
  port: 8000,
  host: '127.0.0.1',
  mode: 'proxy',
  namespaceSeparator: '__',
  timeoutSeconds: 60,
  sessionIdleMinutes: 30,
  batchMaxResultChars: 2_000,
} as const;
