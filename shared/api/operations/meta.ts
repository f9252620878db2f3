/** Client configurations, the live event stream and the API's own description (docs/specification.md §3, §7). */
import { z } from 'zod';
import { CLIENT_KINDS } from '../../client-config.js';
import { defineOperation } from '../contract.js';
import { orchEventSchema } from '../events.js';
import { serverName } from './common.js';

export const clientConfigSchema = z.object({
  client: z.enum(CLIENT_KINDS),
  format: z.enum(['json', 'shell']),
  /** What the user pastes: pretty JSON, or one shell command per line. */
  text: z.string(),
  /** The JSON object, or for `shell` the argv of each command. */
  value: z.unknown().optional(),
});

export const metaOperations = {
  clientConfig: defineOperation({
    id: 'clientConfig.get',
    method: 'GET',
    path: '/api/client-config/{client}',
    summary: 'The snippet that points an MCP client at one server, every server, or the aggregate',
    description: 'Without `server` or `aggregate`: every server. Giving both answers 400.',
    role: 'viewer',
    mutating: false,
    input: z.object({
      client: z.enum(CLIENT_KINDS),
      server: serverName.optional(),
      aggregate: z.boolean().optional().describe('the aggregated endpoint instead of per-server ones'),
      transport: z.enum(['streamableHttp', 'sse']).optional().describe('default streamableHttp'),
    }),
    output: clientConfigSchema,
    errors: ['unknown_server'],
  }),
  events: defineOperation({
    id: 'events.stream',
    method: 'GET',
    path: '/api/events',
    summary: 'Live updates as server-sent events',
    description:
      'Each event is `event: <type>` and `data: <JSON>`, the JSON being one member of the event union. ' +
      'Browsers’ EventSource cannot send headers: it can pass the token as the `access_token` query parameter (the weaker option).',
    role: 'viewer',
    mutating: false,
    input: z.object({}),
    output: orchEventSchema,
    stream: 'sse',
    errors: [],
  }),
  openapi: defineOperation({
    id: 'openapi.get',
    method: 'GET',
    path: '/api/openapi.json',
    summary: 'This API as an OpenAPI 3.1 document',
    role: 'viewer',
    mutating: false,
    input: z.object({}),
    output: z.looseObject({
      openapi: z.string(),
      info: z.looseObject({ title: z.string(), version: z.string() }),
      paths: z.record(z.string(), z.unknown()),
    }),
    errors: [],
  }),
} as const;
