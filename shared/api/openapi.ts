/**
 * The OpenAPI 3.1 document of the REST API (`GET /api/openapi.json`), generated from the contract in
 * `shared/api`: every operation becomes a path item with its parameters, JSON body, success response
 * and error responses, all schemas converted from zod (OpenAPI 3.1 speaks JSON Schema 2020-12).
 */
import { z } from 'zod';
import { ERROR_STATUS, errorsOf, hasBody, pathParamNames, type Operation } from './contract.js';
import { errorBodySchema } from './operations/common.js';
import type { ErrorCode } from '../errors.js';

export type JsonSchema = Record<string, unknown>;

export interface OpenApiOptions {
  /** The daemon's version, as `info.version`. */
  version: string;
  /** `http://host:port` of the daemon; omitted from the document when absent. */
  serverUrl?: string | undefined;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers?: { url: string }[];
  tags: { name: string; description: string }[];
  security: Record<string, string[]>[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
}

/** The extension naming an operation's minimum role. */
export const ROLE_EXTENSION = 'x-mcp-orch-role';

const TAGS: Record<string, string> = {
  servers: 'Configured MCP servers: status, lifecycle, logs',
  tools: 'The tool catalog, per-tool switches and single calls',
  config: 'mcp-config.json: read, validate, write',
  mode: 'Proxy or batch mode',
  runs: 'Batch runs from a plan or a natural-language request',
  calls: 'The proxied call log',
  stats: 'Call totals',
  tokens: 'API keys',
  audit: 'The audit log',
  clientConfig: 'Ready-made MCP client configurations',
  events: 'Live updates (server-sent events)',
  openapi: 'This description',
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request',
  401: 'No valid token',
  403: "The token's role or tool permissions do not allow this",
  404: 'Not found',
  409: 'Conflict',
  413: 'Body too large',
  429: 'Rate limit exceeded',
  500: 'Internal error',
  501: 'Not implemented yet',
  503: 'Server unavailable',
  504: 'Timed out',
};

const SUCCESS_TEXT = { 200: 'OK', 201: 'Created', 202: 'Accepted' } as const;

export function buildOpenApiDocument(operations: readonly Operation[], options: OpenApiOptions): OpenApiDocument {
  const components: OpenApiDocument['components'] = {
    schemas: { ErrorBody: new SchemaConverter({}).convert(errorBodySchema, 'output') },
    securitySchemes: {
      bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer <secret>`.' },
      accessToken: {
        type: 'apiKey',
        in: 'query',
        name: 'access_token',
        description:
          'The weaker option (RFC 6750 URI query parameter), for clients that cannot set headers, such as EventSource: the secret lands in URLs, histories and proxy logs. Prefer the bearer header; never send both.',
      },
    },
  };
  const converter = new SchemaConverter(components.schemas);
  const paths: OpenApiDocument['paths'] = {};
  const usedTags = new Set<string>();
  for (const operation of operations) {
    const method = operation.method.toLowerCase();
    const item = (paths[operation.path] ??= {});
    if (item[method]) throw new Error(`two operations at ${operation.method} ${operation.path}`);
    const tag = tagOf(operation);
    usedTags.add(tag);
    item[method] = operationObject(operation, tag, converter);
  }
  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: 'MCP Orch API',
      version: options.version,
      description:
        'REST API of the MCP Orch daemon. Errors are `{ error: { code, message, details } }`; `x-mcp-orch-role` names the least role an operation needs (viewer < operator < admin).',
    },
    tags: [...usedTags].map((name) => ({ name, description: TAGS[name] ?? name })),
    // Either one; the query token is for clients that cannot set headers (docs/auth.md).
    security: [{ bearerAuth: [] }, { accessToken: [] }],
    paths,
    components,
  };
  if (options.serverUrl) document.servers = [{ url: options.serverUrl }];
  return document;
}

function tagOf(operation: Operation): string {
  return operation.id.slice(0, operation.id.indexOf('.'));
}

function operationObject(operation: Operation, tag: string, converter: SchemaConverter): JsonSchema {
  const input = converter.convert(operation.input, 'input');
  const properties = { ...((input.properties ?? {}) as Record<string, JsonSchema>) };
  const required = new Set((input.required ?? []) as string[]);
  const parameters: JsonSchema[] = [];
  for (const name of pathParamNames(operation.path)) {
    const schema = properties[name];
    if (!schema) throw new Error(`${operation.id}: path parameter "${name}" is not a field of its input`);
    parameters.push(parameter(name, 'path', true, schema));
    delete properties[name];
    required.delete(name);
  }
  const result: JsonSchema = {
    operationId: operation.id,
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    tags: [tag],
    [ROLE_EXTENSION]: operation.role,
  };
  if (hasBody(operation)) {
    if (Object.keys(properties).length > 0) {
      const body: JsonSchema = { ...input, properties, required: [...required] };
      if (required.size === 0) delete body.required;
      result.requestBody = { required: required.size > 0, content: { 'application/json': { schema: body } } };
    }
  } else {
    for (const [name, schema] of Object.entries(properties)) parameters.push(parameter(name, 'query', required.has(name), schema));
  }
  if (parameters.length > 0) result.parameters = parameters;
  result.responses = { ...successResponse(operation, converter), ...errorResponses(errorsOf(operation)) };
  return result;
}

function parameter(name: string, location: 'path' | 'query', required: boolean, schema: JsonSchema): JsonSchema {
  const { description, ...rest } = schema;
  return { name, in: location, required, ...(typeof description === 'string' ? { description } : {}), schema: rest };
}

function successResponse(operation: Operation, converter: SchemaConverter): JsonSchema {
  const status = operation.status ?? 200;
  const schema = converter.convert(operation.output, 'output');
  if (operation.stream === 'sse') {
    return {
      [status]: {
        description: 'A stream of server-sent events; the `data:` of each is one JSON value of this schema.',
        content: { 'text/event-stream': { schema } },
      },
    };
  }
  return { [status]: { description: SUCCESS_TEXT[status], content: { 'application/json': { schema } } } };
}

function errorResponses(codes: readonly ErrorCode[]): JsonSchema {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  const responses: JsonSchema = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[status] = {
      description: `${STATUS_TEXT[status] ?? 'Error'}: ${list.map((code) => `\`${code}\``).join(', ')}`,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
    };
  }
  return responses;
}

/**
 * zod → JSON Schema 2020-12 for embedding in the document. `$defs` (from schemas with an `id` or
 * recursion) would resolve against the document root, so they move to `components.schemas`.
 */
class SchemaConverter {
  /** The JSON text each shared schema was converted from, to reuse a name only for the same schema. */
  private readonly texts = new Map<string, string>();

  constructor(private readonly shared: Record<string, JsonSchema>) {}

  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
    delete json.$schema;
    const defs = json.$defs as Record<string, JsonSchema> | undefined;
    if (!defs) return json;
    delete json.$defs;
    const renames = new Map(Object.entries(defs).map(([name, def]) => [name, this.reserve(name, JSON.stringify(def))]));
    for (const [name, def] of Object.entries(defs)) this.shared[renames.get(name)!] = rewriteRefs(def, renames) as JsonSchema;
    return rewriteRefs(json, renames) as JsonSchema;
  }

  /** A name for `text` among the shared schemas: `name`, or `name_2`… when another schema has it. */
  private reserve(name: string, text: string): string {
    const base = name.replace(/[^A-Za-z0-9._-]/g, '_');
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}_${n}`;
      const existing = this.texts.get(candidate);
      if (existing === undefined && !(candidate in this.shared)) {
        this.texts.set(candidate, text);
        return candidate;
      }
      if (existing === text) return candidate;
    }
  }
}

function rewriteRefs(value: unknown, renames: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, renames));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const local = key === '$ref' && typeof item === 'string' ? /^#\/\$defs\/(.+)$/.exec(item) : null;
    const renamed = local ? renames.get(local[1]!) : undefined;
    out[key] = renamed ? `#/components/schemas/${renamed}` : rewriteRefs(item, renames);
  }
  return out;
}
