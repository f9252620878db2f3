/**
 * What the "try it" form can make of a tool's JSON Schema: which field each part becomes, the
 * starting value, and whether the form can express the schema at all. Unions (`anyOf`, `oneOf`,
 * `allOf`), `$ref`, tuples and mixed types cannot be expressed as plain fields: the page then falls
 * back to a schema-checked JSON editor.
 */
export type JsonSchema = Record<string, unknown>;

export type FieldKind = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'null';

/** The one JSON type of a schema, `null` besides it allowed (`["string", "null"]` is a string). */
function singleType(schema: JsonSchema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const others = type.filter((item) => item !== 'null');
    return others.length === 1 && typeof others[0] === 'string' ? others[0] : undefined;
  }
  if (schema.properties !== undefined) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

/** The field a schema becomes, or undefined when the form cannot express it. */
export function fieldKind(schema: JsonSchema): FieldKind | undefined {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return schema.enum.every((value) => ['string', 'number', 'boolean'].includes(typeof value)) ? 'enum' : undefined;
  }
  if ('const' in schema) return undefined;
  const type = singleType(schema);
  switch (type) {
    case 'object':
    case 'array':
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
    case 'null':
      return type;
    default:
      return undefined;
  }
}

const UNION_KEYS = ['anyOf', 'oneOf', 'allOf', 'not', 'if', '$ref', 'patternProperties', 'prefixItems'];

/** Why the form cannot express `schema` (its JSON path and the reason), or undefined when it can. */
export function unsupportedReason(schema: JsonSchema, path = '(arguments)'): string | undefined {
  for (const key of UNION_KEYS) if (key in schema) return `${path} uses ${key}`;
  const kind = fieldKind(schema);
  if (kind === undefined) return `${path} has no single type`;
  if (kind === 'object') {
    const additional = schema.additionalProperties;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    if (typeof additional === 'object' && additional !== null && Object.keys(properties).length === 0)
      return `${path} is a map of free keys`;
    for (const [name, child] of Object.entries(properties)) {
      const reason = unsupportedReason(asSchema(child), `${path}.${name}`);
      if (reason) return reason;
    }
  }
  if (kind === 'array') {
    if (Array.isArray(schema.items)) return `${path} is a tuple`;
    const items = asSchema(schema.items);
    if (Object.keys(items).length === 0) return `${path} has items of any type`;
    const reason = unsupportedReason(items, `${path}[]`);
    if (reason) return reason;
  }
  return undefined;
}

export function asSchema(value: unknown): JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonSchema) : {};
}

export function propertiesOf(schema: JsonSchema): [string, JsonSchema][] {
  return Object.entries(asSchema(schema.properties)).map(([name, child]) => [name, asSchema(child)]);
}

export function requiredOf(schema: JsonSchema): Set<string> {
  return new Set(Array.isArray(schema.required) ? schema.required.filter((item): item is string => typeof item === 'string') : []);
}

/**
 * The value a field starts with: its `default`; for an object, its properties that have one (or
 * are required objects); for an array, empty. Other fields start unset.
 */
export function initialValue(schema: JsonSchema): unknown {
  if (schema.default !== undefined) return structuredClone(schema.default);
  const kind = fieldKind(schema);
  if (kind === 'object') {
    const required = requiredOf(schema);
    const value: Record<string, unknown> = {};
    for (const [name, child] of propertiesOf(schema)) {
      const start = initialValue(child);
      if (start !== undefined && (child.default !== undefined || required.has(name) || fieldKind(child) === 'object')) value[name] = start;
    }
    return value;
  }
  if (kind === 'array') return [];
  if (kind === 'boolean') return undefined;
  return undefined;
}

/** The arguments to send: unset and empty optional fields left out, so the server's defaults apply. */
export function pruneValue(value: unknown, schema: JsonSchema, required = true): unknown {
  const kind = fieldKind(schema);
  if (value === undefined || value === null) return undefined;
  if (kind === 'object' && typeof value === 'object' && !Array.isArray(value)) {
    const needed = requiredOf(schema);
    const children = new Map(propertiesOf(schema));
    const out: Record<string, unknown> = {};
    for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
      const pruned = pruneValue(child, children.get(name) ?? {}, needed.has(name));
      if (pruned !== undefined) out[name] = pruned;
    }
    return Object.keys(out).length === 0 && !required ? undefined : out;
  }
  if (kind === 'array' && Array.isArray(value)) {
    const items = asSchema(schema.items);
    return value.map((item) => pruneValue(item, items, true)).filter((item) => item !== undefined);
  }
  if (value === '' && !required) return undefined;
  return value;
}

/** The input text of a number field as a number; `undefined` for empty, NaN kept out. */
export function parseNumber(text: string, integer: boolean): number | undefined {
  if (text.trim() === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) return undefined;
  return integer ? Math.trunc(value) : value;
}
