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

const transportName = z.string().refine((value) => value in TRANSPORT_ALIASES, {
  message: `expected one of ${Object.keys(TRANSPORT_ALIASES).join(', ')}`,
});

const stringMap = z.record(z.string(), z.string());

/** `${env:NAME}` or `${secret:NAME}` (the OS keychain of the desktop app): where a credential comes from. */
export const CREDENTIAL_REFERENCE = /^\$\{(env|secret):([A-Za-z_][A-Za-z0-9_.-]{0,127})\}$/;

/** A credential in the file: only a reference, so the file never holds a key in clear. The message never repeats the value. */
const credentialReference = z.string().refine((value) => CREDENTIAL_REFERENCE.test(value), {
  message: 'a credential must be a reference, "${env:NAME}" or "${secret:NAME}"; a literal key in the file is refused',
});

/** The token endpoint authentication methods a pre-registered client may use. */
export const TOKEN_ENDPOINT_AUTH_METHODS = ['none', 'client_secret_basic', 'client_secret_post'] as const;

/** An https URL with a path: a Client ID Metadata Document's address (it is the client's id). */
const clientMetadataUrl = z
  .url({ protocol: /^https$/ })
  .refine((value) => new URL(value).pathname.length > 1, { message: 'a Client ID Metadata Document URL needs a path' });

/**
 * `mcpServers.<name>.oauth`: how MCP Orch signs in to a remote server that asks for it (the MCP
 * authorization spec, OAuth 2.1). Without it, sign-in still works with dynamic registration or the
 * default client metadata document; `false` turns sign-in off (a 401 is then an error).
 */
export const serverOAuthSchema = z.union([
  z.literal(false),
  z.looseObject({
    /** A client registered with the authorization server beforehand. */
    clientId: z.string().min(1).max(512).optional(),
    /** Its secret, as a reference: `${secret:NAME}` or `${env:NAME}`. */
    clientSecret: credentialReference.optional(),
    /** How a pre-registered client authenticates at the token endpoint; default: what the server supports. */
    tokenEndpointAuthMethod: z.enum(TOKEN_ENDPOINT_AUTH_METHODS).optional(),
    /** Scopes to ask for when neither the server's challenge nor its metadata names any. */
    scopes: z.array(z.string().min(1).max(256)).max(64).optional(),
    /** This server's Client ID Metadata Document URL, instead of `orch.oauth.clientMetadataUrl`. */
    clientMetadataUrl: clientMetadataUrl.optional(),
  }),
]);

export type ServerOAuthConfig = z.infer<typeof serverOAuthSchema>;

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
    /**
     * Which MCP generation to speak to the server: `auto` asks it first (`server/discover`) and speaks
     * 2026-07-28 when it does, else 2025; `2025` never asks; `2026-07-28` speaks nothing else.
     * Default: `auto` for Streamable HTTP, `2025` for stdio and legacy SSE.
     */
    protocol: z.enum(['auto', '2025', '2026-07-28']).optional(),
    /** Sign-in to a remote server (see `serverOAuthSchema`). */
    oauth: serverOAuthSchema.optional(),
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
    if (transport === 'stdio' && server.oauth) {
      ctx.addIssue({ code: 'custom', path: ['oauth'], message: 'sign-in is for remote servers: a stdio server has no "oauth"' });
    }
    if (server.oauth && server.oauth.clientSecret && !server.oauth.clientId) {
      ctx.addIssue({ code: 'custom', path: ['oauth', 'clientSecret'], message: '"clientSecret" needs "clientId"' });
    }
  });

export type ServerConfig = z.infer<typeof serverConfigSchema>;

/** The model providers the planner can use. */
export const PLANNER_PROVIDERS = ['azure', 'bedrock', 'openai', 'anthropic', 'openai-compatible'] as const;
export type PlannerProvider = (typeof PLANNER_PROVIDERS)[number];

/** `orch.planner`: the model that turns a request into a batch plan. */
export const plannerConfigSchema = z
  .looseObject({
    provider: z.enum(PLANNER_PROVIDERS),
    /** The deployment (azure) or the model id. */
    model: z.string().min(1).max(256),
    /** Overrides the provider's endpoint (a proxy, a local model, a test endpoint). */
    baseURL: z.url({ protocol: /^https?$/ }).optional(),
    /** Default per provider: `${env:AZURE_API_KEY}`, `${env:OPENAI_API_KEY}`, `${env:ANTHROPIC_API_KEY}`; none for bedrock and openai-compatible. */
    apiKey: credentialReference.optional(),
    /** azure: the resource (`https://<resourceName>.openai.azure.com`), when there is no baseURL. */
    resourceName: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, 'letters, digits and "-"')
      .optional(),
    /** azure: a Microsoft Entra access token, used instead of an API key. */
    entraToken: credentialReference.optional(),
    /** azure: the API version; default `v1`. */
    apiVersion: z.string().min(1).max(32).optional(),
    /** azure, openai: the Responses API (default) or Chat Completions. */
    api: z.enum(['responses', 'chat']).optional(),
    /** bedrock: the AWS region. */
    region: z
      .string()
      .regex(/^[a-z0-9-]{2,32}$/, 'an AWS region such as us-east-1')
      .optional(),
    /** bedrock: explicit keys; without them (and without apiKey) the AWS credential chain is used. */
    accessKeyId: credentialReference.optional(),
    secretAccessKey: credentialReference.optional(),
    sessionToken: credentialReference.optional(),
    maxTokens: z.number().int().positive().max(200_000).optional(),
    temperature: z.number().min(0).max(2).optional(),
    /** Retries of a model call that failed for a reason that may pass (429, 5xx); default 2. */
    maxRetries: z.number().int().min(0).max(10).optional(),
    /** Seconds one planning may take, repair round included; default 120. */
    timeout: z.number().positive().max(3600).optional(),
    /** Most tools sent to the model, the most relevant to the request; default 40. */
    maxTools: z.number().int().min(1).max(1000).optional(),
    /** Plans the cache keeps; 0 turns it off; default 500. */
    cacheSize: z.number().int().min(0).max(100_000).optional(),
  })
  .superRefine((planner, ctx) => {
    if (planner.provider === 'azure' && !planner.baseURL && !planner.resourceName) {
      ctx.addIssue({ code: 'custom', path: ['resourceName'], message: 'azure needs "resourceName" or "baseURL"' });
    }
    if (planner.provider === 'bedrock' && !planner.region) {
      ctx.addIssue({ code: 'custom', path: ['region'], message: 'bedrock needs "region"' });
    }
    if (planner.provider === 'openai-compatible' && !planner.baseURL) {
      ctx.addIssue({
        code: 'custom',
        path: ['baseURL'],
        message: 'openai-compatible needs "baseURL" (e.g. http://127.0.0.1:11434/v1 for Ollama)',
      });
    }
    if ((planner.accessKeyId === undefined) !== (planner.secretAccessKey === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [planner.accessKeyId ? 'secretAccessKey' : 'accessKeyId'],
        message: '"accessKeyId" and "secretAccessKey" go together',
      });
    }
  });

export type PlannerConfig = z.infer<typeof plannerConfigSchema>;

export const orchConfigSchema = z.looseObject({
  port: z.number().int().min(0).max(65_535).optional(),
  host: z.string().min(1).optional(),
  mode: z.enum(['proxy', 'batch']).optional(),
  namespaceSeparator: z
    .string()
    .min(1)
    .max(4)
    .regex(/^[A-Za-z0-9_.-]+$/)
    .optional(),
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
  /** The LLM planner (`plan_and_execute`, `POST /api/runs {request}`). */
  planner: plannerConfigSchema.optional(),
  /** Sign-in to remote servers: the Client ID Metadata Document URL MCP Orch uses by default (`false`: none). */
  oauth: z.looseObject({ clientMetadataUrl: z.union([clientMetadataUrl, z.literal(false)]).optional() }).optional(),
});

export type OrchConfig = z.infer<typeof orchConfigSchema>;

export const configFileSchema = z.looseObject({
  mcpServers: z.record(z.string().min(1, 'a server name cannot be empty'), serverConfigSchema).default({}),
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
