import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ERROR_CODES } from '../errors.js';
import { ROLES, buildPath, hasBody, invalidInputBody, pathParamNames, restInput, roleAllows, splitInput } from './contract.js';
import { operationList, operations } from './operations.js';

type JsonSchema = Record<string, unknown>;

const inputJson = (schema: z.ZodType): JsonSchema => z.toJSONSchema(schema, { io: 'input' });

/** JSON types a schema admits, or undefined when it admits anything. */
function allowedTypes(schema: JsonSchema): Set<string> | undefined {
  if (Array.isArray(schema.type)) return new Set(schema.type as string[]);
  if (typeof schema.type === 'string') return new Set(schema.type === 'integer' ? ['integer', 'number'] : [schema.type]);
  const values = (schema.enum as unknown[] | undefined) ?? ('const' in schema ? [schema.const] : undefined);
  if (values) return new Set(values.map(jsonType));
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (!branches) return undefined;
  const union = new Set<string>();
  for (const branch of branches) {
    const types = allowedTypes(branch);
    if (!types) return undefined;
    for (const type of types) union.add(type);
  }
  return union;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'number' && Number.isInteger(value) ? 'integer' : typeof value;
}

/** A value of a JSON type the field does not admit; undefined when it admits every type. */
function wrongTypeValue(schema: JsonSchema): unknown {
  const allowed = allowedTypes(schema);
  if (!allowed) return undefined;
  const candidates: unknown[] = [12345, 'not-the-right-type', true, ['x'], { unexpected: 1 }, null];
  return candidates.find((value) => {
    const type = jsonType(value);
    return !allowed.has(type) && !(type === 'integer' && allowed.has('number'));
  });
}

describe('the operation table', () => {
  it('is keyed by id, in the order of the list, with unique ids', () => {
    const ids = operationList.map((operation) => operation.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(operations)).toEqual(ids);
    for (const operation of operationList) expect(operations[operation.id]).toBe(operation);
  });

  it('has one operation per method and path', () => {
    const routes = operationList.map((operation) => `${operation.method} ${operation.path}`);
    expect(new Set(routes).size).toBe(routes.length);
  });

  it('covers every operation the issue lists', () => {
    const wanted = [
      'servers.list',
      'servers.status',
      'servers.start',
      'servers.stop',
      'servers.restart',
      'servers.enable',
      'servers.disable',
      'servers.logs',
      'tools.list',
      'tools.enable',
      'tools.disable',
      'tools.call',
      'config.get',
      'config.validate',
      'config.put',
      'mode.get',
      'mode.set',
      'runs.create',
      'runs.dryRun',
      'runs.list',
      'runs.get',
      'runs.cancel',
      'calls.list',
      'stats.get',
      'tokens.list',
      'tokens.create',
      'tokens.revoke',
      'tokens.rotate',
      'clientConfig.get',
      'events.stream',
      'audit.list',
    ];
    expect(operationList.map((operation) => operation.id)).toEqual(expect.arrayContaining(wanted));
  });

  it.each(operationList.map((operation) => [operation.id, operation] as const))('%s is well-formed', (id, operation) => {
    expect(id).toMatch(/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/);
    expect(operation.path).toMatch(/^\/api\//);
    expect(operation.summary.length).toBeGreaterThan(0);
    expect(ROLES).toContain(operation.role);
    expect(operation.mutating).toBe(operation.method !== 'GET');
    for (const code of operation.errors) expect(ERROR_CODES).toContain(code);
    const json = inputJson(operation.input);
    const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
    for (const name of pathParamNames(operation.path)) {
      expect(properties[name], `path parameter ${name}`).toBeDefined();
      expect(json.required, `path parameter ${name} is required`).toContain(name);
      expect(allowedTypes(properties[name]!), `path parameter ${name} is a string`).toEqual(new Set(['string']));
    }
    // Both sides convert to JSON Schema (the OpenAPI document needs them).
    expect(() => z.toJSONSchema(operation.output, { io: 'output' })).not.toThrow();
  });
});

describe('inputs reject malformed values, naming the field', () => {
  const cases = operationList.flatMap((operation) => {
    const properties = (inputJson(operation.input).properties ?? {}) as Record<string, JsonSchema>;
    return Object.entries(properties).map(([field, schema]) => [operation.id, field, wrongTypeValue(schema), operation] as const);
  });

  it.each(cases.filter(([, , value]) => value !== undefined))('%s: %s = wrong type', (_id, field, value, operation) => {
    const result = operation.input.safeParse({ [field]: value });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues.some((issue) => issue.path[0] === field)).toBe(true);
    const body = invalidInputBody(result.error);
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toContain(field);
  });

  it.each(operationList.map((operation) => [operation.id, operation] as const))('%s: a non-object input', (_id, operation) => {
    for (const value of ['text', 42, ['x'], null]) expect(operation.input.safeParse(value).success).toBe(false);
  });

  it('required fields are reported when missing', () => {
    const result = operations['tokens.create'].input.safeParse({});
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(expect.arrayContaining(['name', 'role']));
  });
});

describe('inputs accept what clients send', () => {
  it('a batch plan, with defaults applied', () => {
    const input = operations['runs.create'].input.parse({
      plan: {
        tasks: [
          { id: 'issues', tool: 'github__list_issues', arguments: { repo: 'acme/app' } },
          { id: 'report', tool: 'notion__create_page', arguments: { content: '{{issues.text}}' }, dependsOn: ['issues'], retries: 1 },
        ],
      },
    });
    expect(input.plan).toMatchObject({ maxConcurrency: 32, onError: 'continue' });
  });

  it('a plan with a duplicate id or an unknown dependency is refused with its path', () => {
    const result = operations['runs.dryRun'].input.safeParse({
      plan: {
        tasks: [
          { id: 'a', tool: 't' },
          { id: 'a', tool: 't', dependsOn: ['b'] },
        ],
      },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['plan.tasks.1.id', 'plan.tasks.1.dependsOn.0']);
  });

  it('a run needs exactly one of plan and request', () => {
    const input = operations['runs.create'].input;
    expect(input.safeParse({}).success).toBe(false);
    expect(input.safeParse({ request: 'list my open issues' }).success).toBe(true);
    expect(input.safeParse({ request: 'x', plan: { tasks: [{ id: 'a', tool: 't' }] } }).success).toBe(false);
  });

  it('a plan with an unknown key is refused (typos do not pass silently)', () => {
    const result = operations['runs.create'].input.safeParse({ plan: { tasks: [{ id: 'a', tool: 't', dependson: ['b'] }] } });
    expect(result.success).toBe(false);
  });
});

describe('contract helpers', () => {
  it('ranks roles admin > operator > viewer', () => {
    expect(roleAllows('admin', 'operator')).toBe(true);
    expect(roleAllows('operator', 'operator')).toBe(true);
    expect(roleAllows('viewer', 'operator')).toBe(false);
    expect(roleAllows('operator', 'admin')).toBe(false);
  });

  it('fills and splits path parameters', () => {
    const call = operations['tools.call'];
    expect(pathParamNames(call.path)).toEqual(['server', 'tool']);
    expect(buildPath(call, { server: 'my server', tool: 'a/b' })).toBe('/api/tools/my%20server/a%2Fb/call');
    expect(splitInput(call, { server: 's', tool: 't', arguments: { x: 1 } })).toEqual({
      path: { server: 's', tool: 't' },
      rest: { arguments: { x: 1 } },
    });
  });

  it('reads a GET request: path parameters plus the query, strings turned into numbers and booleans', () => {
    const calls = operations['calls.list'];
    const input = restInput(calls, {
      params: {},
      query: { server: 'github', ok: 'false', limit: '10', since: ['1', '2'], access_token: 'secret' },
    });
    expect(calls.input.parse(input)).toEqual({ server: 'github', ok: false, limit: 10, since: 2 });
    const logs = operations['servers.logs'];
    expect(logs.input.parse(restInput(logs, { params: { name: 'a b' }, query: { limit: '5' } }))).toEqual({ name: 'a b', limit: 5 });
  });

  it('leaves a malformed query value for the schema to refuse, naming the field', () => {
    const calls = operations['calls.list'];
    const result = calls.input.safeParse(restInput(calls, { params: {}, query: { limit: 'ten', ok: 'maybe' } }));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path[0])).toEqual(['ok', 'limit']);
  });

  it('reads a POST request: the JSON body plus path parameters, which win', () => {
    const call = operations['tools.call'];
    const input = restInput(call, {
      params: { server: 's', tool: 't' },
      query: { ignored: '1' },
      body: { server: 'other', arguments: { q: 1 } },
    });
    expect(call.input.parse(input)).toEqual({ server: 's', tool: 't', arguments: { q: 1 } });
    expect(call.input.parse(restInput(call, { params: { server: 's', tool: 't' }, query: {} }))).toEqual({
      server: 's',
      tool: 't',
      arguments: {},
    });
    expect(call.input.safeParse(restInput(call, { params: { server: 's', tool: 't' }, query: {}, body: [1] })).success).toBe(false);
  });

  it('every query field of a GET or DELETE is a scalar a query string can carry', () => {
    for (const operation of operationList.filter((candidate) => !hasBody(candidate))) {
      const properties = (inputJson(operation.input).properties ?? {}) as Record<string, JsonSchema>;
      for (const [field, schema] of Object.entries(properties)) {
        const types = [...(allowedTypes(schema) ?? ['any'])];
        expect(
          types.every((type) => ['string', 'number', 'integer', 'boolean'].includes(type)),
          `${operation.id} ${field}: ${types.join('|')}`,
        ).toBe(true);
      }
    }
  });
});
