// @ts-check
// The layers of the code base, as `no-restricted-imports` rules per folder: the folder says where
// code runs and what it may lean on (docs/architecture.md). eslint.config.js applies them;
// main/core/layers.test.ts proves each one catches a forbidden import.

const ELECTRON_ONLY_IN_SHELL =
  'only main/electron and preload/ may import electron: everything else runs under plain Node or in a browser.';
const electron = { group: ['electron', 'electron/*'], message: ELECTRON_ONLY_IN_SHELL };
const node = (where) => ({ group: ['node:*'], message: `${where} runs outside Node: no node:* modules.` });
/** A relative import of a sibling folder (`../http/…`, `../../main/…`); package names and deeper paths such as shared/api/operations do not match. */
const of = (folder, message) => ({ regex: `^(\\.\\./)+${folder}(/|$)`, message });

/** The lower layers of the core: they know nothing of who serves them (HTTP, MCP, the operations, the composition). */
const LOWER_CORE = [
  'config',
  'secrets',
  'supervisor',
  'registry',
  'store',
  'batch',
  'planner',
  'clients',
  'metrics',
  'auth',
  'events',
  'logs',
  'protocol',
  'runs',
];
const upper = (layer) => `the lower core layers (${LOWER_CORE.join(', ')}) must not import ${layer}: it is built on them, not they on it.`;

/** Each entry: the files it covers, and what they must not import. Tests may reach across layers to drive the whole daemon. */
export const layers = [
  {
    name: 'shared',
    files: ['shared/**'],
    ignores: [],
    patterns: [
      electron,
      node('shared/ (also in the browser bundle and the preload)'),
      of('main', 'shared/ is the contract between processes: it imports nothing of main/.'),
      of('renderer', 'shared/ imports nothing of renderer/.'),
      of('preload', 'shared/ imports nothing of preload/.'),
    ],
  },
  {
    name: 'lower core',
    files: LOWER_CORE.map((folder) => `main/core/${folder}/**`),
    ignores: ['**/*.test.ts', '**/__fixtures__/**'],
    patterns: [
      electron,
      of('http', upper('the HTTP server (http/)')),
      of('mcp', upper('the MCP endpoints (mcp/)')),
      of('operations', upper('the operations layer (operations/)')),
      of('activity', upper('activity/')),
      { regex: '^(\\.\\./)+(hot-reload|runtime)\\.js$', message: upper('hot reload or the runtime') },
      of('cli', 'main/core never imports the CLI.'),
    ],
  },
  {
    name: 'operations',
    files: ['main/core/operations/**'],
    ignores: ['**/*.test.ts', '**/__fixtures__/**'],
    patterns: [
      electron,
      of('http', 'the operations are transport-neutral: they import nothing of the HTTP server (http/).'),
      of('mcp', 'the operations import nothing of the MCP endpoints (mcp/).'),
      of('cli', 'main/core never imports the CLI.'),
    ],
  },
  {
    name: 'mcp endpoints',
    files: ['main/core/mcp/**'],
    ignores: ['**/*.test.ts', '**/__fixtures__/**'],
    patterns: [
      electron,
      of('http', 'the MCP endpoints import nothing of the HTTP server (http/): it routes to them.'),
      of('operations', 'the MCP endpoints import nothing of the operations layer.'),
      of('cli', 'main/core never imports the CLI.'),
    ],
  },
  {
    name: 'core',
    files: ['main/core/**'],
    ignores: [...LOWER_CORE.map((folder) => `main/core/${folder}/**`), 'main/core/operations/**', 'main/core/mcp/**'],
    patterns: [electron, of('cli', 'main/core never imports the CLI.'), of('electron', ELECTRON_ONLY_IN_SHELL)],
  },
  {
    name: 'cli',
    files: ['main/cli/**'],
    ignores: [],
    patterns: [electron],
  },
  {
    name: 'renderer',
    files: ['renderer/**'],
    // Its tests may start a real daemon.
    ignores: ['renderer/test/**', '**/*.test.ts', '**/*.test.tsx'],
    patterns: [
      electron,
      node('renderer/ (a browser page)'),
      of('main', 'renderer/ reaches the daemon only through the typed client of shared/api.'),
      of('preload', 'renderer/ uses the bridge through window.orch, not preload/.'),
    ],
  },
  {
    name: 'preload',
    files: ['preload/**'],
    ignores: ['**/*.test.ts'],
    patterns: [
      { regex: '^(?!electron$)(?!(\\.\\./)+shared/)(?!\\./)', message: 'preload/ imports only its own files, shared/ and electron.' },
    ],
  },
];

/** The flat-config entries of the layers. */
export function layerConfigs() {
  return layers.map((layer) => ({
    name: `layers/${layer.name}`,
    files: layer.files,
    ignores: layer.ignores,
    rules: { 'no-restricted-imports': ['error', { patterns: layer.patterns }] },
  }));
}
