/** The raw path of big answers: reading a response's outline without parsing it, and writing it back out. */
import { describe, expect, it } from 'vitest';
import { ChunkedBytes, outlineObject } from './json-scan.js';
import {
  OMITTED,
  rawResultOf,
  readRawResponse,
  resultFields,
  serializeMessage,
  serializeRawResultWith,
  wireByteLength,
  type Wire,
} from './raw-response.js';
import type { RpcResult } from './jsonrpc.js';

const bytes = (text: string): Buffer => Buffer.from(text);
/** The text of `wire`, checking that its pieces add up to its length and byte length. */
function text(wire: Wire): string {
  if (typeof wire === 'string') return wire;
  const joined = Buffer.concat(wire.pieces.map((piece) => Buffer.from(piece)));
  expect(wire.length).toBe(wire.pieces.reduce((sum, piece) => sum + piece.length, 0));
  expect(wireByteLength(wire)).toBe(joined.length);
  return joined.toString('utf8');
}

/** Reads `line` raw; fails the test when it falls back. */
function raw(line: string): RpcResult {
  const response = readRawResponse(bytes(line));
  if (!response) throw new Error(`not read raw: ${line}`);
  return response;
}

describe('readRawResponse', () => {
  it('reads the id before or after the result, and keeps the result bytes as they were written', () => {
    const after = raw('{"jsonrpc":"2.0","result":{"content":[{"type":"text","text":"hi"}], "isError" : false},"id":7}');
    expect(after.id).toBe(7);
    expect(text(serializeMessage(after))).toBe(
      '{"jsonrpc":"2.0","id":7,"result":{"content":[{"type":"text","text":"hi"}], "isError" : false}}',
    );
    const before = raw(' { "id" : "a-1" , "jsonrpc":"2.0", "result" : {} } ');
    expect(before.id).toBe('a-1');
    expect(text(serializeMessage(before))).toBe('{"jsonrpc":"2.0","id":"a-1","result":{}}');
  });

  it('is not fooled by "id": inside strings, escaped quotes or nested objects', () => {
    const line =
      '{"jsonrpc":"2.0","result":{"content":[{"type":"text","text":"\\"id\\":99, \\\\\\"id\\":98 }"}],"structuredContent":{"id":97,"n":{"id":[96]}}},"id":5}';
    const response = raw(line);
    expect(response.id).toBe(5);
    expect(response.result).toEqual((JSON.parse(line) as RpcResult).result);
  });

  it('decodes the short top-level fields of the result, and leaves the rest unread', () => {
    const response = raw(
      '{"jsonrpc":"2.0","id":1,"result":{"isError":true,"resultType":"complete","ttlMs":5,"content":[{"type":"text","text":"x"}]}}',
    );
    expect(resultFields(response)).toEqual({ isError: true, resultType: 'complete', ttlMs: 5, content: OMITTED });
    expect(rawResultOf(response)).toBeDefined();
  });

  it('turns into a plain response once its result is read or replaced', () => {
    const read = raw('{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"x"}]}}');
    expect(read.result.content).toEqual([{ type: 'text', text: 'x' }]);
    expect(rawResultOf(read)).toBeUndefined();
    (read.result.content as { text: string }[])[0]!.text = 'edited';
    expect(serializeMessage(read)).toBe('{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"edited"}]}}');

    const replaced = raw('{"jsonrpc":"2.0","id":2,"result":{"tools":[]}}');
    replaced.result = { tools: [{ name: 'a' }] };
    expect(rawResultOf(replaced)).toBeUndefined();
    expect(JSON.parse(text(serializeMessage(replaced)))).toEqual({ jsonrpc: '2.0', id: 2, result: { tools: [{ name: 'a' }] } });
  });

  it('makes a result that does not parse, once read, a tool error rather than an exception', () => {
    const response = raw('{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"x"}],"structuredContent":{"n":01x}}}');
    expect(response.result).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: expect.stringContaining('not valid JSON') as unknown }],
    });
  });

  it('reads a line from the chunks it came in, cut anywhere, as it reads it whole', () => {
    const line = bytes('{"jsonrpc":"2.0", "result" : {"isError":false,"content":[{"type":"text","text":"a\\"é😀\\\\"}]} , "id":"x"}');
    const whole = text(serializeMessage(raw(line.toString())));
    for (let size = 1; size <= 7; size++) {
      for (let offset = 0; offset < size; offset++) {
        const chunks = [line.subarray(0, offset), Buffer.alloc(0)];
        for (let at = offset; at < line.length; at += size) chunks.push(line.subarray(at, at + size));
        const response = readRawResponse(chunks)!;
        expect(text(serializeMessage(response))).toBe(whole);
        expect(resultFields(response)).toEqual({ isError: false, content: OMITTED });
        expect(text(serializeRawResultWith(1, response, { resultType: 'complete' })!)).toContain(
          '{"resultType":"complete","isError":false,',
        );
      }
    }
    expect(readRawResponse([line.subarray(0, 20), line.subarray(20, line.length - 1)])).toBeUndefined();
  });

  it('writes the client id over the server id', () => {
    const response = raw('{"jsonrpc":"2.0","id":123,"result":{"a":1}}');
    response.id = 'client-"1"';
    expect(JSON.parse(text(serializeMessage(response)))).toEqual({ jsonrpc: '2.0', id: 'client-"1"', result: { a: 1 } });
    expect(text(serializeMessage([response, { jsonrpc: '2.0', id: 2, result: {} }]))).toBe(
      '[{"jsonrpc":"2.0","id":"client-\\"1\\"","result":{"a":1}},{"jsonrpc":"2.0","id":2,"result":{}}]',
    );
  });

  it('puts leading fields first in a raw result, empty or not', () => {
    const full = raw('{"jsonrpc":"2.0","id":1,"result":{"content":[]}}');
    expect(text(serializeRawResultWith(9, full, { resultType: 'complete' })!)).toBe(
      '{"jsonrpc":"2.0","id":9,"result":{"resultType":"complete","content":[]}}',
    );
    const empty = raw('{"jsonrpc":"2.0","id":1,"result":{ }}');
    expect(JSON.parse(text(serializeRawResultWith(9, empty, { resultType: 'complete' })!))).toEqual({
      jsonrpc: '2.0',
      id: 9,
      result: { resultType: 'complete' },
    });
    expect(text(serializeRawResultWith(9, full, {})!)).toBe('{"jsonrpc":"2.0","id":9,"result":{"content":[]}}');
    expect(serializeRawResultWith(9, { jsonrpc: '2.0', id: 1, result: {} }, {})).toBeUndefined();
  });

  it.each([
    ['an error response', '{"jsonrpc":"2.0","id":1,"error":{"code":-1,"message":"no"}}'],
    ['a request', '{"jsonrpc":"2.0","id":1,"method":"x","result":{}}'],
    ['a notification', '{"jsonrpc":"2.0","method":"notifications/progress","params":{}}'],
    ['a batch', '[{"jsonrpc":"2.0","id":1,"result":{}}]'],
    ['another member', '{"jsonrpc":"2.0","id":1,"result":{},"extra":true}'],
    ['a duplicate key', '{"jsonrpc":"2.0","id":1,"id":2,"result":{}}'],
    ['an escaped key', '{"jsonrpc":"2.0","i\\u0064":1,"result":{}}'],
    ['a wrong version', '{"jsonrpc":"1.0","id":1,"result":{}}'],
    ['a null id', '{"jsonrpc":"2.0","id":null,"result":{}}'],
    ['an object id', '{"jsonrpc":"2.0","id":{"a":1},"result":{}}'],
    ['a result that is not an object', '{"jsonrpc":"2.0","id":1,"result":[1]}'],
    ['a missing comma', '{"jsonrpc":"2.0" "id":1,"result":{}}'],
    ['a missing colon', '{"jsonrpc":"2.0","id" 1,"result":{}}'],
    ['an unclosed string', '{"jsonrpc":"2.0","id":1,"result":{"a":"b}}'],
    ['an unclosed object', '{"jsonrpc":"2.0","id":1,"result":{"a":{"b":1}}'],
    ['mismatched brackets', '{"jsonrpc":"2.0","id":1,"result":{"a":[1}]}}'],
    ['text after the object', '{"jsonrpc":"2.0","id":1,"result":{}} trailing'],
    ['a truncated line', '{"jsonrpc":"2.0","id":1,"result":{"content":[{"text":"abc'],
    ['a broken result field', '{"jsonrpc":"2.0","id":1,"result":{"isError":tru}}'],
    ['not JSON', 'Server started on port 3000'],
  ])('falls back to parsing for %s', (_what, line) => {
    expect(readRawResponse(bytes(line))).toBeUndefined();
  });
});

describe('outlineObject', () => {
  it('gives each member its value span, multi-byte text included', () => {
    const source = bytes('{"é":"ü😀","n":-1.5e3,"o":{"k":[true,null]}}');
    const outline = outlineObject(new ChunkedBytes([source]), 0, (key) => key === 'o')!;
    const span = (key: string) => source.toString('utf8', outline.members.get(key)!.start, outline.members.get(key)!.end);
    expect(span('é')).toBe('"ü😀"');
    expect(span('n')).toBe('-1.5e3');
    expect(span('o')).toBe('{"k":[true,null]}');
    expect([...outline.members.get('o')!.members!.keys()]).toEqual(['k']);
    expect(outline.end).toBe(source.length);
  });
});
