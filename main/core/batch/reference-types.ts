/**
 * What can be known about a reference before the run: whether its path can exist in a result of the
 * referenced tool, and the JSON type of its value. `structuredContent` paths are followed through
 * the tool's output schema (`properties`, `additionalProperties`, `items`, `prefixItems`; a `$ref`
 * or a combinator makes the rest unknown).
 */
import type { JsonType } from './argument-check.js';
import { formatPath, type PathSegment, type Reference } from '../../../shared/plan-references.js';
import { RESULT_MEMBERS } from './references.js';

export type ReferenceShape = { ok: true; type: JsonType | undefined } | { ok: false; message: string };

const CONTENT_STRINGS = new Set(['type', 'text', 'data', 'mimeType', 'uri']);
const JSON_TYPES = new Set<string>(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);

/** Checks a reference's path against the shape of a tool result and of `outputSchema` when given. */
export function referenceShape(reference: Reference, outputSchema: unknown): ReferenceShape {
  const [member, ...rest] = reference.path;
  const cannot = (why: string): ReferenceShape => ({ ok: false, message: `${reference.source} cannot exist: ${why}` });
  if (member === undefined) return { ok: true, type: undefined };
  if (typeof member === 'number' || !(RESULT_MEMBERS as readonly string[]).includes(member)) {
    return cannot(`a result has no "${String(member)}" (use ${RESULT_MEMBERS.join(', ')})`);
  }
  switch (member) {
    case 'text':
      if (rest.length === 0) return { ok: true, type: 'string' };
      if (rest.length === 1 && rest[0] === 'length') return { ok: true, type: 'integer' };
      return cannot('"text" is a string; only ".length" may follow it');
    case 'isError':
      return rest.length === 0 ? { ok: true, type: 'boolean' } : cannot('"isError" is a boolean');
    case 'content':
      return contentShape(rest, cannot);
    case 'structuredContent':
      return schemaShape(outputSchema, rest, reference, cannot);
    default:
      return { ok: true, type: undefined };
  }
}

function contentShape(rest: PathSegment[], cannot: (why: string) => ReferenceShape): ReferenceShape {
  const [index, key, ...more] = rest;
  if (index === undefined) return { ok: true, type: 'array' };
  if (index === 'length') return rest.length === 1 ? { ok: true, type: 'integer' } : cannot('"content.length" is a number');
  if (typeof index !== 'number') return cannot('"content" is an array: use content[0]');
  if (key === undefined) return { ok: true, type: 'object' };
  if (more.length === 0 && typeof key === 'string' && CONTENT_STRINGS.has(key)) return { ok: true, type: 'string' };
  return { ok: true, type: undefined };
}

function schemaShape(schema: unknown, rest: PathSegment[], reference: Reference, cannot: (why: string) => ReferenceShape): ReferenceShape {
  let current: unknown = schema;
  for (let at = 0; at < rest.length; at++) {
    if (!isRecord(current)) return { ok: true, type: undefined };
    const segment = rest[at]!;
    const next = childSchema(current, segment);
    if (next === 'missing') {
      const where = formatPath(['structuredContent', ...rest.slice(0, at + 1)]);
      return cannot(`the output schema of the tool of "${reference.taskId}" has no ${where}`);
    }
    current = next;
  }
  return { ok: true, type: isRecord(current) ? singleType(current) : undefined };
}

function childSchema(schema: Record<string, unknown>, segment: PathSegment): unknown {
  if ('$ref' in schema || 'anyOf' in schema || 'oneOf' in schema || 'allOf' in schema) return undefined;
  const type = singleType(schema);
  if (typeof segment === 'number' || (segment === 'length' && (type === 'array' || type === 'string'))) {
    if (segment === 'length') return { type: 'integer' };
    if (type !== undefined && type !== 'array') return 'missing';
    const prefix = Array.isArray(schema.prefixItems) ? (schema.prefixItems as unknown[]) : [];
    if (segment < prefix.length) return prefix[segment];
    return schema.items === false ? 'missing' : schema.items;
  }
  if (type !== undefined && type !== 'object') return 'missing';
  const properties = isRecord(schema.properties) ? schema.properties : {};
  if (Object.hasOwn(properties, segment)) return properties[segment];
  if (schema.additionalProperties === false && !('patternProperties' in schema)) return 'missing';
  return isRecord(schema.additionalProperties) ? schema.additionalProperties : undefined;
}

function singleType(schema: Record<string, unknown>): JsonType | undefined {
  return typeof schema.type === 'string' && JSON_TYPES.has(schema.type) ? (schema.type as JsonType) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
