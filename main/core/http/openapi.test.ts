import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineOperation, type Operation } from '../../../shared/api/contract.js';
import { operationList, operations } from '../../../shared/api/operations.js';
import { ROLE_EXTENSION, buildOpenApiDocument, type JsonSchema, type OpenApiDocument } from '../../../shared/api/openapi.js';

// ajv-formats is CommonJS with a default export; under NodeNext its default import is the module object's type.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;

/** The OpenAPI 3.1 document schema, vendored (see the README beside it). */
const oasSchema = JSON.parse(readFileSync(new URL('./__fixtures__/openapi-3.1-schema.json', import.meta.url), 'utf8')) as JsonSchema;

function newAjv(): Ajv2020 {
  // The OAS meta-schema uses keywords without `type` beside them, which Ajv's strict mode refuses.
  const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
  ajv.addFormat('media-range', /^[\w.+*-]+\/[\w.+*-]+(\s*;.*)?$/);
  return ajv;
}

const document = buildOpenApiDocument(operationList, { version: '1.2.3', serverUrl: 'http://127.0.0.1:8000' });

type OperationObject = JsonSchema & { parameters?: JsonSchema[]; requestBody?: JsonSchema; responses: Record<string, JsonSchema> };

function operationAt(doc: OpenApiDocument, operation: Operation): OperationObject {
  return doc.paths[operation.path]![operation.method.toLowerCase()] as OperationObject;
}

/** Every Schema Object in the document, with where it is. */
function schemaObjects(doc: OpenApiDocument): [string, JsonSchema][] {
  const found: [string, JsonSchema][] = Object.entries(doc.components.schemas).map(([name, schema]) => [
    `#/components/schemas/${name}`,
    schema,
  ]);
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, value] of Object.entries(item)) {
      const op = value as OperationObject;
      const at = `${method.toUpperCase()} ${path}`;
      for (const parameter of op.parameters ?? [])
        found.push([`${at} parameter ${String(parameter.name)}`, parameter.schema as JsonSchema]);
      const body = op.requestBody?.content as Record<string, { schema: JsonSchema }> | undefined;
      for (const [type, media] of Object.entries(body ?? {})) found.push([`${at} body ${type}`, media.schema]);
      for (const [status, response] of Object.entries(op.responses)) {
        for (const [type, media] of Object.entries((response.content ?? {}) as Record<string, { schema: JsonSchema }>)) {
          found.push([`${at} ${status} ${type}`, media.schema]);
        }
      }
    }
  }
  return found;
}

/** A validator for the schema at `pointer` (JSON Pointer, e.g. `/paths/~1api~1mode/get/…`) inside `doc`. */
function validatorAt(doc: OpenApiDocument, pointer: string) {
  const ajv = newAjv();
  ajv.addSchema(doc, 'https://mcp-orch.invalid/openapi.json');
  return ajv.compile({ $ref: `https://mcp-orch.invalid/openapi.json#${pointer}` });
}

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

describe('buildOpenApiDocument', () => {
  it('lists every operation once, at its method and path, with its id and role', () => {
    const listed = Object.values(document.paths).flatMap((item) => Object.values(item)) as OperationObject[];
    expect(listed.map((op) => op.operationId).sort()).toEqual(operationList.map((operation) => operation.id).sort());
    for (const operation of operationList) {
      const op = operationAt(document, operation);
      expect(op.operationId).toBe(operation.id);
      expect(op[ROLE_EXTENSION]).toBe(operation.role);
      expect(op.tags).toEqual([operation.id.split('.')[0]]);
    }
  });

  it('validates against the OpenAPI 3.1 schema', () => {
    const validate = newAjv().compile(oasSchema);
    const valid = validate(JSON.parse(JSON.stringify(document)));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the OpenAPI 3.1 schema refuses a broken document (the check has teeth)', () => {
    const broken = structuredClone(document) as unknown as { paths: Record<string, Record<string, JsonSchema>> };
    delete (broken.paths['/api/mode']!.get!.responses as Record<string, JsonSchema>)['200']!.description;
    broken.paths['/api/mode']!.get!.bogus = true;
    expect(newAjv().compile(oasSchema)(broken)).toBe(false);
  });

  it('embeds only valid JSON Schema 2020-12', () => {
    const ajv = newAjv();
    const found = schemaObjects(document);
    expect(found.length).toBeGreaterThan(operationList.length * 3);
    for (const [where, schema] of found) {
      expect(ajv.validateSchema(schema), `${where}: ${ajv.errorsText(ajv.errors)}`).toBe(true);
      expect(JSON.stringify(schema), `${where} has no dangling local $defs`).not.toContain('#/$defs/');
    }
  });

  it('puts path fields in the path, GET fields in the query, and POST/PUT fields in a JSON body', () => {
    const call = operationAt(document, operations['tools.call']);
    expect(call.parameters?.map((p) => [p.name, p.in, p.required])).toEqual([
      ['server', 'path', true],
      ['tool', 'path', true],
    ]);
    const body = (call.requestBody!.content as Record<string, { schema: JsonSchema }>)['application/json']!.schema;
    expect(Object.keys(body.properties as JsonSchema)).toEqual(['arguments', 'timeoutMs']);
    expect(call.requestBody!.required).toBe(false);

    const calls = operationAt(document, operations['calls.list']);
    expect(calls.requestBody).toBeUndefined();
    expect(calls.parameters?.every((p) => p.in === 'query' && p.required === false)).toBe(true);
    expect(calls.parameters?.map((p) => p.name)).toEqual(['server', 'tool', 'ok', 'since', 'until', 'limit', 'before']);

    expect(operationAt(document, operations['servers.start']).requestBody).toBeUndefined();
    expect(operationAt(document, operations['tokens.create']).requestBody!.required).toBe(true);
  });

  it('answers errors with the shared error body, by status', () => {
    const start = operationAt(document, operations['servers.start']);
    expect(Object.keys(start.responses)).toEqual(['200', '400', '401', '403', '404', '409', '413', '429', '500']);
    const list = operationAt(document, operations['servers.list']);
    expect(Object.keys(list.responses)).toEqual(['200', '400', '401', '403', '429', '500']);
    expect(String(start.responses['404']!.description)).toContain('unknown_server');

    const errorBody = validatorAt(document, '/components/schemas/ErrorBody');
    expect(errorBody({ error: { code: 'unknown_server', message: 'no server named "x"' } })).toBe(true);
    expect(errorBody({ error: { code: 'oops', message: 'x' } })).toBe(false);
  });

  it('documents responses that real answers satisfy', () => {
    const pointer = `/paths/${escape('/api/servers')}/get/responses/200/content/${escape('application/json')}/schema`;
    const validate = validatorAt(document, pointer);
    const server = {
      name: 'github',
      state: 'running',
      pid: 42,
      startedAt: 1_700_000_000_000,
      restarts: 0,
      transport: 'stdio',
      sessionMode: 'shared',
      toolCount: 3,
      endpoints: { streamableHttp: 'http://127.0.0.1:8000/mcp/github', sse: 'http://127.0.0.1:8000/sse/github' },
    };
    expect(operations['servers.list'].output.parse({ servers: [server] })).toEqual({ servers: [server] });
    expect(validate({ servers: [server] }), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ servers: [{ ...server, state: 'sleeping' }] })).toBe(false);
  });

  it('describes the event stream, and both ways to send a token', () => {
    const events = operationAt(document, operations['events.stream']);
    expect(Object.keys(events.responses['200']!.content as JsonSchema)).toEqual(['text/event-stream']);
    expect(document.security).toEqual([{ bearerAuth: [] }, { accessToken: [] }]);
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.components.securitySchemes.accessToken).toMatchObject({ type: 'apiKey', in: 'query', name: 'access_token' });
  });

  it('states the version and the server', () => {
    expect(document.info.version).toBe('1.2.3');
    expect(document.servers).toEqual([{ url: 'http://127.0.0.1:8000' }]);
    expect(buildOpenApiDocument(operationList, { version: '0' }).servers).toBeUndefined();
  });

  it('moves schemas with an id to components, so their $refs resolve', () => {
    const thing = z.object({ label: z.string() }).meta({ id: 'OpenApiTestThing' });
    const op = defineOperation({
      id: 'things.get',
      method: 'GET',
      path: '/api/things',
      summary: 'Things',
      role: 'viewer',
      mutating: false,
      input: z.object({}),
      output: z.object({ first: thing, second: thing }),
      errors: [],
    });
    const doc = buildOpenApiDocument([op], { version: '0' });
    expect(doc.components.schemas.OpenApiTestThing).toMatchObject({ type: 'object', required: ['label'] });
    expect(JSON.stringify(doc.paths)).toContain('#/components/schemas/OpenApiTestThing');
    expect(newAjv().compile(oasSchema)(JSON.parse(JSON.stringify(doc)))).toBe(true);
    const validate = validatorAt(doc, `/paths/${escape('/api/things')}/get/responses/200/content/${escape('application/json')}/schema`);
    expect(validate({ first: { label: 'a' }, second: { label: 'b' } })).toBe(true);
    expect(validate({ first: { label: 1 }, second: { label: 'b' } })).toBe(false);
  });

  it('refuses a path parameter missing from the input, and two operations on one route', () => {
    const base = { summary: 's', role: 'viewer', mutating: false, output: z.object({}), errors: [] } as const;
    const missing = defineOperation({ ...base, id: 'a.b', method: 'GET', path: '/api/a/{name}', input: z.object({}) });
    expect(() => buildOpenApiDocument([missing], { version: '0' })).toThrow(/path parameter "name"/);
    const one = defineOperation({ ...base, id: 'a.one', method: 'GET', path: '/api/a', input: z.object({}) });
    const two = defineOperation({ ...base, id: 'a.two', method: 'GET', path: '/api/a', input: z.object({}) });
    expect(() => buildOpenApiDocument([one, two], { version: '0' })).toThrow(/two operations/);
  });
});
