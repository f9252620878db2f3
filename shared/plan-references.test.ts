import { describe, expect, it } from 'vitest';
import { findTemplates, parseReference, renameReferences, type MalformedReference } from './plan-references.js';

describe('plan references', () => {
  it('parses ids, keys, indexes and quoted keys', () => {
    expect(parseReference('issues')).toMatchObject({ taskId: 'issues', path: [] });
    expect(parseReference(' issues.structuredContent.items[1].number ')).toMatchObject({
      taskId: 'issues',
      path: ['structuredContent', 'items', 1, 'number'],
    });
    expect(parseReference('issues.structuredContent["odd key"]')?.path).toEqual(['structuredContent', 'odd key']);
    expect(parseReference('not a reference')).toBeUndefined();
  });

  it('reports strings that look like broken references', () => {
    const malformed: MalformedReference[] = [];
    findTemplates({ a: '{{issues.content[x]}}' }, malformed);
    expect(malformed).toMatchObject([{ source: '{{issues.content[x]}}', taskId: 'issues' }]);
  });

  it('reads an escape as text, not as a reference', () => {
    const [template] = findTemplates({ a: '\\{{issues.text}} {{ plain.text }}' });
    expect(template?.parts).toMatchObject(['{{issues.text}} ', { taskId: 'plain', path: ['text'] }]);
    expect(template?.whole).toBe(false);
  });

  it('renames exactly the references it reads, deep, keeping spacing, paths, escapes and broken ones', () => {
    const args = {
      a: '{{ issues.structuredContent["odd key"][0] }} and {{issues}}',
      b: ['\\{{issues.text}}', { c: '{{issues.content[x]}} {{ user name }}' }],
      d: 7,
    };
    const renamed = renameReferences(args, (id) => (id === 'issues' ? 'first' : id));
    expect(renamed).toEqual({
      a: '{{ first.structuredContent["odd key"][0] }} and {{first}}',
      b: ['\\{{issues.text}}', { c: '{{issues.content[x]}} {{ user name }}' }],
      d: 7,
    });
    expect(args.a).toBe('{{ issues.structuredContent["odd key"][0] }} and {{issues}}');
  });
});
