import { describe, expect, it } from 'vitest';
import { MAX_NAME_LENGTH, NameTable, Namer, type Origin } from './naming.js';

const VALID = /^[A-Za-z0-9_-]+$/;

function table(origins: Origin[], separator = '__'): NameTable {
  return new NameTable(origins, new Namer(separator));
}

function namesOf(origins: Origin[], separator = '__'): string[] {
  const names = table(origins, separator);
  return origins.map((origin) => names.nameOf(origin.server, origin.name)!);
}

describe('aggregate names', () => {
  it('keeps a plain joined name when it is valid', () => {
    expect(namesOf([{ server: 'github', name: 'create_issue' }])).toEqual(['github__create_issue']);
    expect(namesOf([{ server: 'github', name: 'create_issue' }], '.')).toEqual(['github.create_issue']);
  });

  it('shortens long names to 64 characters with a stable suffix', () => {
    const origin = { server: 'a-very-long-server-name-for-testing', name: 'an_even_longer_tool_name_that_goes_on_and_on' };
    const [name] = namesOf([origin]);
    expect(name!.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
    expect(name).toMatch(VALID);
    expect(name).toMatch(/^a-very-long-server-name-for-testing__an_even_longer_tool__[0-9a-f]{6}$/);
    expect(namesOf([origin])).toEqual([name]);
    expect(namesOf([{ server: 'x', name: 'y' }, origin])[1]).toBe(name);
  });

  it('makes names with dots, spaces and unicode valid and distinct', () => {
    const origins = [
      { server: 'my.server', name: 'get data' },
      { server: 'my server', name: 'get.data' },
      { server: 'my_server', name: 'get_data' },
      { server: 'données', name: 'lire' },
      { server: '日本', name: 'ツール' },
      { server: 'emoji', name: '🚀launch' },
    ];
    for (const separator of ['__', '.', '-']) {
      const names = namesOf(origins, separator);
      const allowed = new RegExp(`^(?:[A-Za-z0-9_-]|${separator === '.' ? '\\.' : separator})+$`);
      for (const name of names) {
        expect(name).toMatch(allowed);
        expect(name.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
      }
      expect(new Set(names).size).toBe(origins.length);
      expect(names[2]).toBe(`my_server${separator}get_data`);
    }
  });

  it('gives two servers with the same tool different names', () => {
    expect(
      namesOf([
        { server: 'a', name: 'search' },
        { server: 'b', name: 'search' },
      ]),
    ).toEqual(['a__search', 'b__search']);
  });

  it('never collides when the separator appears inside names', () => {
    const origins = [
      { server: 'a__b', name: 'c' },
      { server: 'a', name: 'b__c' },
    ];
    const names = namesOf(origins);
    expect(names[0]).not.toBe(names[1]);
    for (const name of names) expect(name).toMatch(/^a__b__c_[0-9a-f]{6}$/);
    const lookup = table(origins);
    expect(lookup.resolve(names[0]!)).toEqual(origins[0]);
    expect(lookup.resolve(names[1]!)).toEqual(origins[1]);
  });

  it('is stable whatever the order of the origins', () => {
    const origins = Array.from({ length: 200 }, (_, i) => ({ server: `s${i % 7}.x`, name: `tool ${i}` }));
    const forward = namesOf(origins);
    const backward = namesOf([...origins].reverse()).reverse();
    expect(backward).toEqual(forward);
    expect(new Set(forward).size).toBe(origins.length);
  });

  it('scales to 5,000 tools with unique names', () => {
    const origins = Array.from({ length: 5000 }, (_, i) => ({ server: `server-${i % 50}`, name: `tool_${i}` }));
    expect(table(origins).size).toBe(5000);
  });
});
