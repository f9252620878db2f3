/**
 * The layer rules of eslint.layers.js catch what they forbid and let the rest through: each case is
 * a one-line file at a path of the layer, linted with the project's own layer configuration.
 */
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { LOWER_CORE, layerConfigs } from '../../eslint.layers.js';

const linter = new Linter({ configType: 'flat' });
const config = [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser as Linter.Parser } }, ...layerConfigs()];

/** The layer messages for one import at `path`; `type` makes it an `import type`. */
function refusals(path: string, specifier: string, kind: 'value' | 'type' = 'value'): string[] {
  const source =
    kind === 'type'
      ? `import type { x } from '${specifier}';\nexport type y = x;\n`
      : `import { x } from '${specifier}';\nexport const y = x;\n`;
  return linter
    .verify(source, config, { filename: path })
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
      '../operations/create-dispatcher.js',
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
    allowed: ['../supervisor/call-tool.js', '../runs/batch-service.js', '../hot-reload.js'],
  },
  {
    path: 'main/core/mcp/x.ts',
    forbidden: ['../http/app.js', '../operations/create-dispatcher.js'],
    allowed: ['../supervisor/server-supervisor.js', './http-io.js'],
  },
  {
    path: 'main/core/http/x.ts',
    forbidden: ['electron', '../../electron/main.js', '../../cli/api-client.js'],
    allowed: ['../mcp/mcp-endpoints.js', '../operations/dispatcher.js', 'koa'],
  },
  {
    path: 'main/cli/x.ts',
    forbidden: [
      '../core/store/database.js',
      '../core/store/tokens.repository.js',
      '../core/auth/token-service.js',
      '../core/operations/tokens.handlers.js',
      '../core/operations/create-dispatcher.js',
      '../core/config/app-paths.js',
      '../core/__fixtures__/runtime-harness.js',
      '../electron/main.js',
      'electron',
    ],
    allowed: [
      '../core/runtime.js',
      '../core/shell-surface.js',
      '../core/operations/dispatcher.js',
      '../core/operations/dispatcher-bridge.js',
      '../../shared/api/client.js',
      './database-path.js',
      'commander',
    ],
  },
  {
    path: 'main/electron/x.ts',
    forbidden: [
      '../core/supervisor/login-shell.js',
      '../core/secrets/file-secrets.js',
      '../core/config/default-config.js',
      '../core/events/emitter.js',
      '../core/auth/roles.js',
      '../core/http/app.js',
      '../cli/main.js',
    ],
    allowed: [
      'electron',
      '../core/runtime.js',
      '../core/shell-surface.js',
      '../core/operations/dispatcher.js',
      '../core/operations/dispatcher-bridge.js',
      './tray-state.js',
    ],
  },
  {
    path: 'main/electron/__fixtures__/x.ts',
    forbidden: ['../../core/auth/roles.js', '../../core/supervisor/supervisor.js'],
    allowed: ['../../core/shell-surface.js', '../../core/operations/dispatcher.js', '../../core/__fixtures__/runtime-harness.js'],
  },
  {
    path: 'main/cli/x.test.ts',
    forbidden: ['../core/supervisor/supervisor.js', '../core/operations/tokens.handlers.js', '../core/http/app.js', '../electron/main.js'],
    allowed: [
      '../core/shell-surface.js',
      '../core/runtime.js',
      '../core/__fixtures__/runtime-harness.js',
      '../core/planner/__fixtures__/planner-daemon.js',
      '../core/store/store.js',
      '../core/auth/token-service.js',
    ],
  },
  {
    path: 'main/core/supervisor/x.test.ts',
    forbidden: [
      '../planner/planner.js',
      '../registry/tool-registry.js',
      '../batch/__fixtures__/fake-peer.js',
      '../operations/create-dispatcher.js',
      '../mcp/mcp-endpoints.js',
      '../http/app.js',
      '../hot-reload.js',
      'electron',
    ],
    allowed: [
      '../runtime.js',
      '../__fixtures__/runtime-harness.js',
      '../http/__fixtures__/rest-client.js',
      '../store/__fixtures__/temp-store.js',
      '../config/config-loader.js',
      './supervisor.js',
    ],
  },
  {
    path: 'main/core/operations/x.test.ts',
    forbidden: ['../mcp/mcp-endpoints.js', '../http/app.js', '../../cli/main.js'],
    allowed: ['../__fixtures__/runtime-harness.js', '../http/__fixtures__/rest-client.js', '../store/store.js', './create-dispatcher.js'],
  },
  {
    path: 'main/core/mcp/x.test.ts',
    forbidden: ['../operations/create-dispatcher.js', '../http/app.js'],
    allowed: ['../__fixtures__/proxy-test-kit.js', '../planner/__fixtures__/planner-daemon.js', '../store/store.js'],
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

  it('refuses a type import where it refuses the value', () => {
    expect(refusals('main/cli/x.ts', '../core/supervisor/server-supervisor.js', 'type')).not.toEqual([]);
    expect(refusals('main/electron/x.ts', '../core/secrets/secret-provider.js', 'type')).not.toEqual([]);
    expect(refusals('main/core/store/x.ts', '../batch/types.js', 'type')).not.toEqual([]);
    expect(refusals('main/electron/x.ts', '../core/shell-surface.js', 'type')).toEqual([]);
  });

  it('names what a shell should use instead', () => {
    expect(refusals('main/cli/x.ts', '../core/store/database.js')[0]).toContain('shell-surface');
  });
});

describe('the ranking of the lower core rooms', () => {
  // The imports between rooms that the code has today: each is allowed one way and refused the other.
  const EDGES: [from: string, to: string][] = [
    ['planner', 'batch'],
    ['planner', 'config'],
    ['planner', 'store'],
    ['batch', 'registry'],
    ['batch', 'supervisor'],
    ['registry', 'supervisor'],
    ['logs', 'supervisor'],
    ['supervisor', 'store'],
    ['supervisor', 'config'],
    ['supervisor', 'protocol'],
    ['auth', 'store'],
    ['clients', 'config'],
    ['config', 'secrets'],
    ['store', 'events'],
  ];
  for (const [from, to] of EDGES) {
    it(`${from}/ may import ${to}/, and ${to}/ may not import ${from}/`, () => {
      expect(refusals(`main/core/${from}/x.ts`, `../${to}/y.js`)).toEqual([]);
      expect(refusals(`main/core/${to}/x.ts`, `../${from}/y.js`).join('\n')).toContain(`${from}/ sits above ${to}/`);
      expect(refusals(`main/core/${to}/x.test.ts`, `../${from}/y.js`)).not.toEqual([]);
      expect(refusals(`main/core/${to}/__fixtures__/x.ts`, `../../${from}/y.js`)).not.toEqual([]);
    });
  }

  it('holds for every pair of rooms, from nested folders too', () => {
    for (const [rank, room] of LOWER_CORE.entries()) {
      for (const other of LOWER_CORE.filter((name) => name !== room)) {
        const refused = refusals(`main/core/${room}/sub/x.ts`, `../../${other}/y.js`).length > 0;
        expect(refused, `${room} -> ${other}`).toBe(LOWER_CORE.indexOf(other) > rank);
      }
    }
  });
});

describe('bench/, eval/ and e2e/', () => {
  it('import the product, and the product never imports them', () => {
    expect(refusals('bench/batch/x.ts', '../../main/core/runtime.js')).toEqual([]);
    expect(refusals('eval/planner/x.ts', '../../main/core/planner/planner.js')).toEqual([]);
    expect(refusals('e2e/x.spec.ts', '../main/core/__fixtures__/runtime-harness.js')).toEqual([]);
    expect(refusals('main/core/batch/x.ts', '../../../bench/batch/run.js')).not.toEqual([]);
    expect(refusals('main/core/http/x.ts', '../../../eval/planner/cases.js')).not.toEqual([]);
    expect(refusals('main/core/planner/x.test.ts', '../../../eval/planner/cases.js')).not.toEqual([]);
    expect(refusals('main/cli/x.ts', '../../e2e/bridge.js')).not.toEqual([]);
    expect(refusals('main/electron/x.test.ts', '../../e2e/bridge.js')).not.toEqual([]);
    expect(refusals('shared/api/x.ts', '../../bench/aggregate/run.js')).not.toEqual([]);
    expect(refusals('renderer/src/x.ts', '../../e2e/pages/servers.js')).not.toEqual([]);
  });
});
