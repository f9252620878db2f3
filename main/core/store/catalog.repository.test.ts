import { describe, expect, it } from 'vitest';
import { useTempStores } from './__fixtures__/temp-store.js';

const temp = useTempStores();

const tools = [
  {
    name: 'write_file',
    title: 'Écrire un fichier — 書き込み 📝',
    description: 'Line one\nline "two"\ttabbed \\ backslash \u2028 separator, e\u0301 combining, \ud83d\ude00',
    inputSchema: {
      type: 'object',
      properties: { path: { type: 'string', minLength: 1 }, mode: { enum: ['a', 'w'], default: null } },
      required: ['path'],
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    _meta: {
      'io.modelcontextprotocol/ui': { resourceUri: 'ui://x' },
      nested: { deep: [1, 2.5, -0.000001, 1e21, 9_007_199_254_740_991, {}] },
    },
    zKeyFirst: 1,
    aKeySecond: 2,
  },
  { name: 'empty', inputSchema: { type: 'object' } },
];

describe('catalog cache', () => {
  it('round-trips items to the exact same JSON, across a reopen', () => {
    const first = temp.open();
    first.catalog.save('files', 'tools', tools, 1_000);
    first.close();

    const loaded = temp.open().catalog.load('files');
    expect(JSON.stringify(loaded?.tools)).toBe(JSON.stringify(tools));
    expect(loaded?.tools).toEqual(tools);
    expect(Object.keys(loaded?.tools?.[0] ?? {})).toEqual(Object.keys(tools[0] ?? {}));
  });

  it('keeps kinds apart, tells "never saved" from "empty", and tracks the latest update', () => {
    const store = temp.open();
    store.catalog.save('files', 'tools', tools, 1_000);
    store.catalog.save('files', 'prompts', [], 2_000);
    store.catalog.save('files', 'resourceTemplates', [{ uriTemplate: 'file:///{path}', name: 'file' }], 1_500);
    store.catalog.save('files', 'tools', [{ name: 'replaced' }], 1_200);

    const catalog = store.catalog.load('files');
    expect(catalog).toEqual({
      server: 'files',
      tools: [{ name: 'replaced' }],
      prompts: [],
      resourceTemplates: [{ uriTemplate: 'file:///{path}', name: 'file' }],
      updatedAt: 2_000,
    });
    expect(catalog).not.toHaveProperty('resources');
    expect(store.catalog.load('unknown')).toBeUndefined();
  });

  it('loads every server at once and forgets a removed one', () => {
    const store = temp.open();
    store.catalog.save('b', 'tools', [{ name: 'b1' }]);
    store.catalog.save('a', 'resources', [{ uri: 'mem://a', name: 'a' }]);
    expect([...store.catalog.loadAll().keys()]).toEqual(['a', 'b']);
    expect(store.catalog.remove('a')).toBe(true);
    expect(store.catalog.remove('a')).toBe(false);
    expect([...store.catalog.loadAll().keys()]).toEqual(['b']);
  });
});
