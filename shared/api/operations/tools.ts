/** `/api/tools`: the catalog across servers, per-tool switches and "try it" calls (docs/specification.md §5, §9). */
import { z } from 'zod';
import { defineOperation } from '../contract.js';
import { durationMs, jsonObject, serverName, toolName } from './common.js';

/** MCP tool annotations; unknown hints pass through. */
export const toolAnnotationsSchema = z.looseObject({
  title: z.string().optional(),
  readOnlyHint: z.boolean().optional(),
  destructiveHint: z.boolean().optional(),
  idempotentHint: z.boolean().optional(),
  openWorldHint: z.boolean().optional(),
});

export const toolItemSchema = z.object({
  server: serverName,
  name: toolName,
  /** The name on the aggregated endpoint (`<server><sep><tool>`); absent while the tool is disabled. */
  aggregatedName: z.string().optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  /** The tool's JSON Schema, as the server sent it. */
  inputSchema: jsonObject,
  outputSchema: jsonObject.optional(),
  annotations: toolAnnotationsSchema.optional(),
  enabled: z.boolean(),
  /** Listed from the cache: the server is not running yet. */
  cached: z.boolean(),
  /** In the server's `autoApprove`: batch mode may run it without asking. */
  autoApproved: z.boolean(),
});

/** An MCP `CallToolResult`, passed through untouched (content, structuredContent, isError, _meta). */
export const callToolResultSchema = z.looseObject({
  content: z.array(z.looseObject({ type: z.string() })),
  structuredContent: jsonObject.optional(),
  isError: z.boolean().optional(),
});

const toolRef = z.object({ server: serverName, tool: toolName });

const toggledSchema = z.object({ server: serverName, tool: toolName, enabled: z.boolean() });

export const toolOperations = {
  list: defineOperation({
    id: 'tools.list',
    method: 'GET',
    path: '/api/tools',
    summary: 'The tool catalog of every server, enabled or not',
    role: 'viewer',
    mutating: false,
    input: z.object({
      server: serverName.optional().describe('only this server'),
      q: z.string().max(200).optional().describe('case-insensitive search in names and descriptions'),
      enabled: z.boolean().optional().describe('only enabled (true) or disabled (false) tools'),
    }),
    output: z.object({ tools: z.array(toolItemSchema) }),
    errors: ['unknown_server'],
  }),
  enable: defineOperation({
    id: 'tools.enable',
    method: 'POST',
    path: '/api/tools/{server}/{tool}/enable',
    summary: 'Enable a tool (removes it from orch.disabledTools)',
    acts: { server: 'server', tool: 'tool' },
    role: 'admin',
    mutating: true,
    input: toolRef,
    output: toggledSchema,
    errors: ['unknown_server', 'invalid_config'],
  }),
  disable: defineOperation({
    id: 'tools.disable',
    method: 'POST',
    path: '/api/tools/{server}/{tool}/disable',
    summary: 'Disable a tool: hidden from every listing and refused when called',
    description: 'The tool need not be listed yet: a server that is down can have its tools switched off ahead.',
    acts: { server: 'server', tool: 'tool' },
    role: 'admin',
    mutating: true,
    input: toolRef,
    output: toggledSchema,
    errors: ['unknown_server', 'invalid_config'],
  }),
  call: defineOperation({
    id: 'tools.call',
    method: 'POST',
    path: '/api/tools/{server}/{tool}/call',
    summary: 'Call a tool once, with these arguments',
    description: "The key's tool permissions apply. A tool error is a 200 with `result.isError`; 4xx/5xx mean it could not be called.",
    acts: { server: 'server', tool: 'tool' },
    role: 'operator',
    mutating: true,
    input: toolRef.extend({
      arguments: jsonObject.default({}),
      timeoutMs: z.number().int().min(1).max(86_400_000).optional().describe("default: the server's timeout"),
    }),
    output: z.object({ result: callToolResultSchema, durationMs }),
    errors: ['unknown_server', 'unknown_tool', 'server_unavailable', 'timeout', 'cancelled'],
  }),
} as const;
