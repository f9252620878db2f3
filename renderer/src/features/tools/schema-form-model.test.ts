/**
 * The schema form's model, as plain functions: the field each JSON Schema part becomes (numbers,
 * integers, booleans, enums, nullable types), what the form cannot express and where, the starting
 * values (defaults, required and nested objects, arrays), number input that is not a number, and
 * the arguments sent (empty optional fields left out) surviving a trip through JSON.
 */
import { describe, expect, it } from 'vitest';
import {
  asSchema,
  fieldKind,
  initialValue,
  parseNumber,
  propertiesOf,
  pruneValue,
  requiredOf,
  unsupportedReason,
  type JsonSchema,
} from './schema-form-model';

const ORDER: JsonSchema = {
  type: 'object',
  properties: {
    customer: { type: 'string' },
    quantity: { type: 'integer', minimum: 1, default: 1 },
    price: { type: 'number' },
    express: { type: 'boolean' },
    size: { enum: ['S', 'M', 'L'], default: 'M' },
    note: { type: ['string', 'null'] },
    address: {
      type: 'object',
      properties: { street: { type: 'string' }, city: { type: 'string', default: 'Paris' }, floor: { type: 'integer' } },
      required: ['street'],
    },
    lines: {
      type: 'array',
      items: { type: 'object', properties: { sku: { type: 'string' }, count: { type: 'integer' } }, required: ['sku'] },
    },
    tags: { type: 'array', items: { type: 'string' }, default: ['new'] },
  },
  required: ['customer', 'address'],
};

describe('the field a schema becomes', () => {
  it('takes the one JSON type, null besides it allowed, or infers object and array from their keywords', () => {
    for (const type of ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']) expect(fieldKind({ type })).toBe(type);
    expect(fieldKind({ type: ['integer', 'null'] })).toBe('integer');
    expect(fieldKind({ properties: {} })).toBe('object');
    expect(fieldKind({ items: { type: 'string' } })).toBe('array');
    expect(fieldKind({ type: ['string', 'number'] })).toBeUndefined();
    expect(fieldKind({})).toBeUndefined();
    expect(fieldKind({ type: 'date' })).toBeUndefined();
  });

  it('makes an enum of scalars a choice, whatever its type says; not one of objects, nor a const', () => {
    expect(fieldKind({ type: 'string', enum: ['a', 'b'] })).toBe('enum');
    expect(fieldKind({ enum: [1, 'two', true] })).toBe('enum');
    expect(fieldKind({ enum: [{ a: 1 }] })).toBeUndefined();
    expect(fieldKind({ enum: [], type: 'string' })).toBe('string');
    expect(fieldKind({ const: 'fixed' })).toBeUndefined();
  });

  it('reads properties and required names leniently', () => {
    expect(propertiesOf({ properties: { a: { type: 'string' }, b: 'junk' } })).toEqual([
      ['a', { type: 'string' }],
      ['b', {}],
    ]);
    expect(propertiesOf({})).toEqual([]);
    expect([...requiredOf({ required: ['a', 3, 'b'] })]).toEqual(['a', 'b']);
    expect(requiredOf({ required: 'a' }).size).toBe(0);
    expect(asSchema([1])).toEqual({});
    expect(asSchema(null)).toEqual({});
  });
});

describe('what the form cannot express', () => {
  it('names each keyword it leaves to the JSON editor, at its path', () => {
    for (const key of ['anyOf', 'oneOf', 'allOf', 'not', 'if', '$ref', 'patternProperties', 'prefixItems'])
      expect(unsupportedReason({ type: 'object', properties: { v: { type: 'string', [key]: {} } } })).toBe(`(arguments).v uses ${key}`);
    expect(unsupportedReason({ anyOf: [] })).toBe('(arguments) uses anyOf');
  });

  it('names parts without a single type, tuples, free maps and items of any type', () => {
    expect(unsupportedReason({ type: 'object', properties: { v: { const: 1 } } })).toBe('(arguments).v has no single type');
    expect(unsupportedReason({ type: 'object', properties: { v: { enum: [[1]] } } })).toBe('(arguments).v has no single type');
    expect(unsupportedReason({ type: 'array' })).toBe('(arguments) has items of any type');
    expect(unsupportedReason({ type: 'array', items: [{ type: 'string' }] })).toBe('(arguments) is a tuple');
    expect(unsupportedReason({ type: 'object', additionalProperties: { type: 'number' } })).toBe('(arguments) is a map of free keys');
    expect(unsupportedReason({ type: 'object', properties: { a: { type: 'array', items: { type: 'array', items: {} } } } })).toBe(
      '(arguments).a[] has items of any type',
    );
  });

  it('takes a form with every kind of field, and an object with extra keys beside its properties', () => {
    expect(unsupportedReason(ORDER)).toBeUndefined();
    expect(
      unsupportedReason({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } }),
    ).toBeUndefined();
    expect(unsupportedReason({ type: 'object', additionalProperties: false })).toBeUndefined();
  });
});

describe('the values a form starts with', () => {
  it('starts from the defaults, required and nested objects, and empty arrays; other fields unset', () => {
    expect(initialValue(ORDER)).toEqual({ quantity: 1, size: 'M', address: { city: 'Paris' }, tags: ['new'] });
    expect(initialValue({ type: 'array', items: { type: 'string' } })).toEqual([]);
    expect(initialValue({ type: 'boolean' })).toBeUndefined();
    expect(initialValue({ type: 'string' })).toBeUndefined();
    expect(initialValue({ type: 'object', properties: {}, default: { a: 1 } })).toEqual({ a: 1 });
  });

  it('copies a default, so editing the value leaves the schema alone', () => {
    const value = initialValue(ORDER) as { tags: string[] };
    value.tags.push('edited');
    expect((ORDER.properties as { tags: { default: string[] } }).tags.default).toEqual(['new']);
  });

  it('keeps an optional nested object, even empty, so its fields have a place', () => {
    const schema = { type: 'object', properties: { options: { type: 'object', properties: { deep: { type: 'boolean' } } } } };
    expect(initialValue(schema)).toEqual({ options: {} });
  });
});

describe('number input', () => {
  it('reads numbers and integers, leaves empty and non-numbers unset, and cuts integers', () => {
    expect(parseNumber('2.5', false)).toBe(2.5);
    expect(parseNumber(' -3 ', false)).toBe(-3);
    expect(parseNumber('1e3', true)).toBe(1000);
    expect(parseNumber('2.9', true)).toBe(2);
    expect(parseNumber('-2.9', true)).toBe(-2);
    for (const text of ['', '   ', 'abc', '1,5', 'Infinity', 'NaN']) expect(parseNumber(text, false)).toBeUndefined();
  });
});

describe('the arguments sent', () => {
  it('leaves out unset and empty optional fields and empty optional objects, keeping required ones', () => {
    const value = {
      customer: '',
      quantity: 2,
      price: undefined,
      express: false,
      note: null,
      address: { street: '', city: '', floor: undefined },
      lines: [{ sku: '', count: undefined }],
      tags: [],
      extra: 'kept',
    };
    expect(pruneValue(value, ORDER)).toEqual({
      customer: '',
      quantity: 2,
      express: false,
      address: { street: '' },
      lines: [{ sku: '' }],
      tags: [],
      extra: 'kept',
    });
    expect(pruneValue({ options: {} }, { type: 'object', properties: { options: { type: 'object', properties: {} } } })).toEqual({});
    expect(pruneValue(undefined, ORDER)).toBeUndefined();
    expect(pruneValue({}, { type: 'object', properties: {} })).toEqual({});
    expect(pruneValue(['a', undefined, 'b'], { type: 'array', items: { type: 'string' } })).toEqual(['a', 'b']);
  });

  it('survives a trip through JSON, the form’s arguments and the JSON editor’s agreeing', () => {
    const value = { ...(initialValue(ORDER) as Record<string, unknown>), customer: 'Ada', price: 9.5, lines: [{ sku: 'A1', count: 3 }] };
    const sent = pruneValue(value, ORDER);
    const text = JSON.stringify(sent, null, 2);
    expect(JSON.parse(text)).toEqual(sent);
    expect(pruneValue(JSON.parse(text), ORDER)).toEqual(sent);
    expect(sent).toEqual({
      customer: 'Ada',
      quantity: 1,
      price: 9.5,
      size: 'M',
      address: { city: 'Paris' },
      lines: [{ sku: 'A1', count: 3 }],
      tags: ['new'],
    });
  });
});
