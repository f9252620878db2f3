/**
 * The layer rules of eslint.layers.js catch what they forbid and let the rest through: each case is
 * a one-line file at a path of the layer, linted with the project's own layer configuration.
 */
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { layerConfigs } from '../../eslint.layers.js';

const linter = new Linter({ configType: 'flat' });
const config = [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser as Linter.Parser } }, ...layerConfigs()];

/** The layer messages for one import at `path`. */
function refusals(path: string, specifier: string): string[] {
  return linter
    .verify(`import { x } from '${specifier}';\nexport const y = x;\n`, config, { filename: path })
    .map((message) => (message.ruleId === 'no-restricted-imports' ? message.message : `${message.ruleId ?? 'parser'}: ${message.message}`));
}

const CASES: { path: string; forbidden: string[]; allowed: string[] }[] = [
  {
    path: 'shared/api/x.ts',
    forbidden: ['node:fs', 'electron', '../../main/core/runtime.js', '../../renderer/src/app.js', '../../preload/index.js'],
    allowed: ['zod', './contract.js', '../errors.js'],
  },
  {
    path: 'main/core/batch/x.ts',
    forbidden: [
      '../http/app.js',
      '../mcp/mcp-endpoints.js',
      '../operations/dispatch.js',
      '../hot-reload.js',
      '../runtime.js',
      '../activity/record-activity.js',
      'electron',
    ],
    allowed: [
      '../supervisor/upstream-peer.js',
      '../../../shared/api/operations/runs.js',
      'node:crypto',
      '@modelcontextprotocol/sdk/types.js',
    ],
  },
  {
    path: 'main/core/store/x.ts',
    forbidden: ['../mcp/http-io.js', '../../cli/main.js'],
    allowed: ['./database.js', '../../../shared/api/contract.js'],
  },
  {
    path: 'main/core/operations/x.ts',
    forbidden: ['../http/rest-adapter.js', '../mcp/legacy-sse.js', 'electron/main'],
    allowed: ['../supervisor/tool-caller.js', '../batch/batch-service.js', '../hot-reload.js'],
  },
  {
    path: 'main/core/mcp/x.ts',
    forbidden: ['../http/app.js', '../operations/dispatch.js'],
    allowed: ['../supervisor/server-supervisor.js', './http-io.js'],
  },
  {
    path: 'main/core/http/x.ts',
    forbidden: ['electron', '../../electron/main.js', '../../cli/api-client.js'],
    allowed: ['../mcp/mcp-endpoints.js', '../operations/dispatcher.js', 'koa'],
  },
  {
    path: 'renderer/src/features/x.ts',
    forbidden: ['node:path', 'electron', '../../../main/core/runtime.js', '../../../preload/index.js'],
    allowed: ['react', '../../../shared/api/client.js'],
  },
  {
    path: 'preload/index.ts',
    forbidden: ['node:fs', 'zod', '../main/core/runtime.js', '../main/electron/ipc-channels.js', '../renderer/src/app.js'],
    allowed: ['electron', '../shared/api/bridge.js', './bridge.js'],
  },
];

describe('layer rules', () => {
  for (const { path, forbidden, allowed } of CASES) {
    it(`${path}: refuses ${forbidden.join(', ')}`, () => {
      for (const specifier of forbidden) expect(refusals(path, specifier).length, specifier).toBeGreaterThan(0);
    });
    it(`${path}: allows ${allowed.join(', ')}`, () => {
      for (const specifier of allowed) expect(refusals(path, specifier), specifier).toEqual([]);
    });
  }

  it('let tests reach across layers to drive the whole daemon', () => {
    expect(refusals('main/core/supervisor/faults.test.ts', '../__fixtures__/runtime-harness.js')).toEqual([]);
    expect(refusals('main/core/batch/x.test.ts', '../runtime.js')).toEqual([]);
  });
});
