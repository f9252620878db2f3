import { describe, expect, it } from 'vitest';
import { findTemplates } from '../../../shared/plan-references.js';
import { resolvePath, substitute, type ToolResult } from './references.js';

const items = [
  { number: 7, labels: ['bug'] },
  { number: 9, labels: [] },
];
const issues: ToolResult = {
  content: [
    { type: 'text', text: 'first' },
    { type: 'image', data: 'AAAA', mimeType: 'image/png' },
    { type: 'text', text: 'second' },
  ],
  structuredContent: { items, total: 2, 'odd key': true },
};
const plain: ToolResult = { content: [{ type: 'text', text: 'hello' }] };
const results = (id: string): ToolResult | undefined => ({ issues, plain })[id];

function fill(args: Record<string, unknown>) {
  return substitute(args, findTemplates(args), results);
}

describe('references at run time', () => {
  it('keeps the JSON type of a reference that is the whole string', () => {
    const filled = fill({
      items: '{{issues.structuredContent.items}}',
      first: '{{issues.structuredContent.items[0].number}}',
      failed: '{{issues.isError}}',
      count: '{{ issues.structuredContent.items.length }}',
    });
    expect(filled).toEqual({
      ok: true,
      value: { items, first: 7, failed: false, count: 2 },
    });
  });

  it('stringifies embedded references, objects as JSON', () => {
    const filled = fill({ title: 'n={{issues.structuredContent.total}} {{issues.structuredContent.items[0].labels}} {{plain.text}}' });
    expect(filled).toEqual({ ok: true, value: { title: 'n=2 ["bug"] hello' } });
  });

  it('joins the text items of a result with newlines for .text', () => {
    expect(resolvePath(issues, ['text'])).toEqual({ ok: true, value: 'first\nsecond' });
    expect(fill({ second: '{{issues.content[2].text}}' })).toEqual({ ok: true, value: { second: 'second' } });
  });

  it('takes structuredContent, else the text, for a bare {{id}}', () => {
    expect(fill({ a: '{{issues}}', b: '{{plain}}' })).toEqual({ ok: true, value: { a: issues.structuredContent, b: 'hello' } });
  });

  it('substitutes deep inside objects and arrays without changing the input', () => {
    const args = { outer: { list: ['x', '{{plain.text}}', { deep: '{{issues.structuredContent.total}}' }] }, other: { kept: 1 } };
    const snapshot = structuredClone(args);
    const filled = fill(args);
    expect(filled).toEqual({ ok: true, value: { outer: { list: ['x', 'hello', { deep: 2 }] }, other: { kept: 1 } } });
    expect(args).toEqual(snapshot);
    if (filled.ok) expect(filled.value.other).toBe(args.other);
  });

  it('names the reference when its path is missing at run time', () => {
    expect(fill({ a: '{{issues.structuredContent.items[5].number}}' })).toEqual({
      ok: false,
      message: '{{issues.structuredContent.items[5].number}}: the result has no structuredContent.items[5]',
    });
    expect(fill({ a: 'x {{plain.structuredContent.total}}' })).toMatchObject({
      ok: false,
      message: expect.stringContaining('{{plain.structuredContent.total}}') as unknown,
    });
  });

  it('treats \\{{ as a literal and leaves non-references alone', () => {
    expect(fill({ a: '\\{{plain.text}} and {{ not a reference }}' })).toEqual({
      ok: true,
      value: { a: '{{plain.text}} and {{ not a reference }}' },
    });
    expect(findTemplates({ a: 'Hello {{ user name }}' })).toEqual([]);
  });
});
