/**
 * The shape of one API operation (docs/specification.md §7): the single contract the REST routes, the Electron IPC
 * handlers, the renderer and the CLI share. Each operation names its HTTP route, the minimum role,
 * one zod input object (path parameters + query for GET/DELETE, path parameters + body for
 * POST/PUT, merged) and the zod output schema. Runtime-neutral: no node:*, no DOM.
 */
import type { z } from 'zod';
import { errorBody, type ErrorBody, type ErrorCode } from '../errors.js';
import { formatJsonPath } from '../json-path.js';

/** The roles, most powerful first; each includes the ones after it. */
export const ROLES = ['admin', 'operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const ROLE_RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Whether a caller with role `have` may run an operation that needs `need`. */
export function roleAllows(have: Role, need: Role): boolean {
  return ROLE_RANK[have] >= ROLE_RANK[need];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** An operation's input: always one object, so path, query and body fields share one namespace. */
export type InputSchema = z.ZodObject;

export interface Operation<Id extends string = string, Input extends InputSchema = InputSchema, Output extends z.ZodType = z.ZodType> {
  /** `domain.action`, e.g. `servers.restart`; the OpenAPI operationId and the IPC channel name. */
  id: Id;
  method: HttpMethod;
  /** OpenAPI-style template, e.g. `/api/servers/{name}/start`; every `{param}` is a field of `input`. */
  path: string;
  summary: string;
  description?: string;
  /** The least role allowed to call it. */
  role: Role;
  /** Changes state (and is audited). True exactly for methods other than GET. */
  mutating: boolean;
  input: Input;
  output: Output;
  /** The error codes specific to this operation; `COMMON_ERRORS` apply to every one. */
  errors: readonly ErrorCode[];
  /** Success status; default 200. */
  status?: 200 | 201 | 202;
  /** `sse`: the response is a `text/event-stream` whose every `data:` line is one `output` value. */
  stream?: 'sse';
  /**
   * The input fields naming what the operation acts on. With `tool`: a key whose allow/deny
   * patterns exclude that tool is refused, whatever its role. Without: the operation acts on the
   * whole server (start, stop…), and a key with patterns must be allowed every tool of it.
   */
  acts?: { server: string; tool?: string };
}

/** Keeps the literal id and the exact schema types of an operation. */
export function defineOperation<const Id extends string, Input extends InputSchema, Output extends z.ZodType>(
  operation: Operation<Id, Input, Output>,
): Operation<Id, Input, Output> {
  return operation;
}

export type OperationInput<Op extends Operation> = z.input<Op['input']>;
export type OperationOutput<Op extends Operation> = z.output<Op['output']>;

/** Errors any operation may answer: bad input, no or wrong token, too many requests, a bug. */
export const COMMON_ERRORS: readonly ErrorCode[] = ['bad_request', 'unauthorized', 'forbidden', 'rate_limited', 'internal'];

/** The HTTP status each error code travels with. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_config: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  unknown_server: 404,
  unknown_tool: 404,
  conflict: 409,
  cancelled: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  not_implemented: 501,
  server_unavailable: 503,
  timeout: 504,
};

/** Every error code an operation may answer: its own plus the common ones (and 413 when it takes a body). */
export function errorsOf(operation: Operation): ErrorCode[] {
  const codes = new Set<ErrorCode>([...COMMON_ERRORS, ...operation.errors]);
  if (hasBody(operation)) codes.add('payload_too_large');
  return [...codes];
}

/** Whether the non-path fields of the input travel in a JSON body (POST, PUT) rather than the query. */
export function hasBody(operation: Pick<Operation, 'method'>): boolean {
  return operation.method === 'POST' || operation.method === 'PUT';
}

/** The `{param}` names of an OpenAPI-style path, in order. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/\{([^{}]+)\}/g)].map((match) => match[1]!);
}

/** The concrete URL path of an operation: each `{param}` replaced by its percent-encoded value. */
export function buildPath(operation: Pick<Operation, 'path'>, params: Record<string, string>): string {
  return operation.path.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new RangeError(`missing path parameter "${name}" for ${operation.path}`);
    return encodeURIComponent(value);
  });
}

/** Splits a (valid) input into what goes in the path and the rest (query or body). */
export function splitInput(
  operation: Pick<Operation, 'path'>,
  input: Record<string, unknown>,
): { path: Record<string, string>; rest: Record<string, unknown> } {
  const names = new Set(pathParamNames(operation.path));
  const path: Record<string, string> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (names.has(key)) path[key] = String(value);
    else if (value !== undefined) rest[key] = value;
  }
  return { path, rest };
}

/**
 * How an input travels: the request target (path, and for GET and DELETE the query) and, for POST
 * and PUT, the JSON body.
 */
export function encodeInput(
  operation: Pick<Operation, 'method' | 'path'>,
  input: Record<string, unknown>,
): { target: string; body: string | undefined } {
  const { path, rest } = splitInput(operation, input);
  const target = buildPath(operation, path);
  if (hasBody(operation)) return { target, body: JSON.stringify(rest) };
  const query = new URLSearchParams(Object.entries(rest).map(([key, value]): [string, string] => [key, String(value)])).toString();
  return { target: query ? `${target}?${query}` : target, body: undefined };
}

/** A zod issue path as users read it: `a.b[0]["odd key"]`. */
export const formatIssuePath = formatJsonPath;

/** One problem with an input, for `details.issues`. */
export interface InputIssue {
  path: string;
  message: string;
}

/** The 400 body for an input that failed its schema: the message names every field at fault. */
export function invalidInputBody(error: z.ZodError): ErrorBody {
  const issues: InputIssue[] = error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message }));
  const message = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  return errorBody('bad_request', `invalid input: ${message}`, { issues });
}

/** What a REST adapter has of a request: decoded path parameters, the query, the parsed JSON body. */
export interface RestRequest {
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  body?: unknown;
}

/** Query parameters that carry credentials, never input. */
const CREDENTIAL_PARAMS = new Set(['access_token']);

/**
 * The one input object of a REST request, ready for `operation.input.safeParse`: path parameters
 * plus the JSON body (POST, PUT) or the query (GET, DELETE). Query strings are turned into numbers
 * and booleans where the field is one (`?limit=10&ok=false`); anything else is left for the schema
 * to refuse, so its error names the field.
 */
export function restInput(operation: Pick<Operation, 'method' | 'input'>, request: RestRequest): unknown {
  if (hasBody(operation)) {
    const body = request.body ?? {};
    return isPlainObject(body) ? { ...body, ...request.params } : body;
  }
  const input: Record<string, unknown> = {};
  const shape = operation.input.shape as Record<string, z.ZodType>;
  for (const [key, raw] of Object.entries(request.query)) {
    if (raw === undefined || CREDENTIAL_PARAMS.has(key)) continue;
    const kind = fieldKind(shape[key]);
    const value = Array.isArray(raw) && kind !== 'array' ? raw.at(-1) : raw;
    input[key] = typeof value === 'string' ? coerce(value, kind) : value;
  }
  return { ...input, ...request.params };
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** The zod type name under optional/default/… wrappers: `number`, `boolean`, `string`, `array`… */
function fieldKind(schema: z.ZodType | undefined): string | undefined {
  let current: z.ZodType | undefined = schema;
  while (current) {
    const def: { type: string; innerType?: z.ZodType } = current.def;
    if (!WRAPPERS.has(def.type) || !def.innerType) return def.type;
    current = def.innerType;
  }
  return undefined;
}

function coerce(value: string, kind: string | undefined): unknown {
  if (kind === 'number' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (kind === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
