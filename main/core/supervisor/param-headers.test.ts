import { describe, expect, it } from 'vitest';
import { encodeHeaderValue, paramHeaders, scanParamHeaders } from './param-headers.js';

const schema = (properties: Record<string, unknown>) => ({ type: 'object', properties });

describe('scanParamHeaders', () => {
  it('finds the marks on primitive properties, nested ones through properties', () => {
    const scan = scanParamHeaders(
      schema({
        region: { type: 'string', 'x-mcp-header': 'Region' },
        priority: { type: 'integer', 'x-mcp-header': 'Priority' },
        verbose: { type: 'boolean', 'x-mcp-header': 'Verbose' },
        query: { type: 'string' },
        options: { type: 'object', properties: { zone: { type: 'string', 'x-mcp-header': 'Zone' } } },
      }),
    );
    expect(scan).toEqual({
      ok: true,
      headers: [
        { name: 'Region', path: ['region'] },
        { name: 'Priority', path: ['priority'] },
        { name: 'Verbose', path: ['verbose'] },
        { name: 'Zone', path: ['options', 'zone'] },
      ],
    });
    expect(scanParamHeaders(schema({ a: { type: 'string' } }))).toEqual({ ok: true, headers: [] });
    expect(scanParamHeaders(undefined)).toEqual({ ok: true, headers: [] });
  });

  it.each([
    ['an empty name', { value: { type: 'string', 'x-mcp-header': '' } }, /non-empty/],
    ['an object', { data: { type: 'object', 'x-mcp-header': 'Data' } }, /string, integer or boolean/],
    ['an array', { items: { type: 'array', items: { type: 'string' }, 'x-mcp-header': 'Items' } }, /string, integer or boolean/],
    ['null', { nil: { type: 'null', 'x-mcp-header': 'Nil' } }, /string, integer or boolean/],
    ['a number', { f: { type: 'number', 'x-mcp-header': 'F' } }, /string, integer or boolean/],
    ['a space', { v: { type: 'string', 'x-mcp-header': 'My Field' } }, /not a valid header name/],
    ['a colon', { v: { type: 'string', 'x-mcp-header': 'My:Field' } }, /not a valid header name/],
    ['non-ASCII', { v: { type: 'string', 'x-mcp-header': 'Régión' } }, /not a valid header name/],
    ['a control character', { v: { type: 'string', 'x-mcp-header': 'My\tField' } }, /not a valid header name/],
    [
      'the same name twice',
      { a: { type: 'string', 'x-mcp-header': 'Region' }, b: { type: 'string', 'x-mcp-header': 'Region' } },
      /repeats/,
    ],
    [
      'names equal but for case',
      { a: { type: 'string', 'x-mcp-header': 'MyField' }, b: { type: 'string', 'x-mcp-header': 'myfield' } },
      /repeats "MyField"/,
    ],
  ])('refuses a tool with %s', (_what, properties, reason) => {
    const scan = scanParamHeaders(schema(properties));
    expect(scan.ok).toBe(false);
    expect(scan.ok ? '' : scan.reason).toMatch(reason);
  });

  it('refuses a mark that is not reached through properties alone', () => {
    const underItems = schema({ list: { type: 'array', items: { type: 'string', 'x-mcp-header': 'Item' } } });
    const underAnyOf = { anyOf: [schema({ v: { type: 'string', 'x-mcp-header': 'V' } })] };
    const underDefs = { type: 'object', $defs: { x: { type: 'string', 'x-mcp-header': 'X' } } };
    for (const tool of [underItems, underAnyOf, underDefs, { type: 'string', 'x-mcp-header': 'Root' }]) {
      expect(scanParamHeaders(tool).ok).toBe(false);
    }
  });
});

describe('encodeHeaderValue', () => {
  it('sends safe ASCII as it is, internal spaces and the empty string included', () => {
    expect(encodeHeaderValue('us-west1')).toBe('us-west1');
    expect(encodeHeaderValue('us west 1')).toBe('us west 1');
    expect(encodeHeaderValue('')).toBe('');
  });

  it('wraps non-ASCII, control characters and edge whitespace in Base64 of the UTF-8', () => {
    for (const value of ['Hello, 世界', ' padded ', ' us-west1', 'us-west1 ', 'line1\nline2', 'line1\r\nline2', '\tindented']) {
      const encoded = encodeHeaderValue(value);
      const match = /^=\?base64\?(.*)\?=$/.exec(encoded);
      expect(match, value).not.toBeNull();
      expect(Buffer.from(match![1]!, 'base64').toString('utf8')).toBe(value);
    }
  });
});

describe('paramHeaders', () => {
  const scan = scanParamHeaders(
    schema({
      region: { type: 'string', 'x-mcp-header': 'Region' },
      priority: { type: 'integer', 'x-mcp-header': 'Priority' },
      verbose: { type: 'boolean', 'x-mcp-header': 'Verbose' },
      name: { type: 'string', 'x-mcp-header': 'Name' },
      query: { type: 'string' },
    }),
  );

  it('mirrors each marked argument present, numbers and booleans as text, and nothing unmarked', () => {
    expect(paramHeaders(scan, { region: 'Zürich', priority: 42, verbose: false, query: 'SELECT 1' })).toEqual({
      'Mcp-Param-Region': encodeHeaderValue('Zürich'),
      'Mcp-Param-Priority': '42',
      'Mcp-Param-Verbose': 'false',
    });
  });

  it('leaves out null and missing arguments, and sends nothing for an unknown or invalid tool', () => {
    expect(paramHeaders(scan, { region: 'eu', verbose: null })).toEqual({ 'Mcp-Param-Region': 'eu' });
    expect(paramHeaders(undefined, { region: 'eu' })).toEqual({});
    expect(paramHeaders({ ok: false, reason: 'x' }, { region: 'eu' })).toEqual({});
    expect(paramHeaders(scan, undefined)).toEqual({});
  });
});
