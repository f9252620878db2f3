// @ts-check
// The layers of the code base, as `no-restricted-imports` rules per folder: the folder says where
// code runs and what it may lean on. eslint.config.js applies them; main/core/layers.test.ts proves
// each one catches a forbidden import. Every file of a layer is matched by exactly one entry (the
// rule's options of two matching entries would not add up: the later one would replace the other),
// so a layer's tests have an entry of their own instead of being ignored.
//
// The rules, from the outside in:
// - product code (shared/, main/, renderer/, preload/) never imports bench/, eval/ or e2e/: those
//   import the product, not the other way round;
// - shared/ imports nothing of main/, renderer/ or preload/, and no node:* module;
// - the shells (main/cli, main/electron) reach the core only through runtime.js, the dispatcher
//   (operations/dispatcher.js, operations/dispatcher-bridge.js) and shell-surface.js; types too:
//   a type of some inner module is as much a tie to its shape as a value;
// - the upper core (http/, mcp/, operations/, hot reload, the runtime) sits on the lower rooms;
//   operations/ and mcp/ do not import each other nor http/;
// - the lower rooms are ranked (LOWER_CORE): a room imports only the rooms below it;
// - only main/electron and preload/ import electron.
// A test obeys the rules of the files it sits among, with a few named test drivers on top.

const ELECTRON_ONLY_IN_SHELL =
  'only main/electron and preload/ may import electron: everything else runs under plain Node or in a browser.';
const electron = { group: ['electron', 'electron/*'], message: ELECTRON_ONLY_IN_SHELL };
const node = (where) => ({ group: ['node:*'], message: `${where} runs outside Node: no node:* modules.` });
/** A relative import of a sibling folder (`../http/…`, `../../main/…`); package names and deeper paths such as shared/api/operations do not match. */
const of = (folder, message) => ({ regex: `^(\\.\\./)+${folder}(/|$)`, message });
const notTheTools = of(
  '(bench|eval|e2e)',
  'product code never imports bench/, eval/ or e2e/: they import the product and drive it, not the other way round.',
);
const noCli = of('cli', 'main/core never imports the CLI.');
const noShell = of('electron', ELECTRON_ONLY_IN_SHELL);
/** Of http/, a test may use only its __fixtures__/ (the REST client). */
const httpFixturesOnly = (message) => ({ regex: '^(\\.\\./)+http(/(?!__fixtures__/)|$)', message });

/** Tests and the fixtures they share: linted by the test entry of their layer. */
const TESTS = ['**/*.test.ts', '**/*.test.tsx', '**/__fixtures__/**'];

/**
 * The lower rooms of the core, ranked from the bottom up: a room may import only the rooms before
 * it in this list. Read from the imports between them:
 * - protocol (JSON-RPC, MCP wire helpers), events (the emitter), metrics: import no other room;
 * - secrets, then config, whose `${secret:X}` values it resolves;
 * - store (SQLite, on events), then auth (keys, in the store);
 * - supervisor (the servers: config, the store's record of child pids, events, protocol), then
 *   logs (files that mirror the supervisor's log buffers);
 * - clients (client config files, from config); registry (the tools of the supervisor's servers);
 * - batch (runs tool calls through the registry and the supervisor, records them in the store);
 * - runs (the books of batch runs: the batch service, live state, the streamed-plan run);
 * - planner (plans batch runs with a model named in the config).
 * A new room goes where its imports put it. They know nothing of who serves them (HTTP, MCP, the
 * operations, the composition).
 */
export const LOWER_CORE = [
  'protocol',
  'events',
  'metrics',
  'secrets',
  'config',
  'store',
  'auth',
  'supervisor',
  'logs',
  'clients',
  'registry',
  'batch',
  'runs',
  'planner',
];
const RANKING = LOWER_CORE.join(' < ');
const upper = (layer) => `the lower core rooms must not import ${layer}: it is built on them, not they on it.`;

/** What no file of main/core imports: electron, the shells, the benchmarks and tests of the product. */
const CORE_BASE = [electron, notTheTools, noCli, noShell];

/** What no lower room imports, whether a source file or a test. */
const ABOVE_THE_ROOMS = [
  ...CORE_BASE,
  of('mcp', upper('the MCP endpoints (mcp/)')),
  of('operations', upper('the operations layer (operations/)')),
  of('activity', upper('activity/')),
];

/** The rooms above `room`, each refused with the ranking. */
function roomsAbove(room, forTests) {
  const rank = LOWER_CORE.indexOf(room);
  const allowed = forTests
    ? `a test of ${room}/ may import ${room}/, the rooms below it and the test drivers (runtime.js, main/core/__fixtures__/, http/__fixtures__/)`
    : `${room}/ imports only the rooms below it`;
  return LOWER_CORE.slice(rank + 1).map((above) =>
    of(
      above,
      `${above}/ sits above ${room}/ in the ranking of the lower core rooms (${RANKING}; LOWER_CORE in eslint.layers.js): ${allowed}.`,
    ),
  );
}

/** Each room's source files: the rooms above it and every upper layer refused. */
const roomEntries = LOWER_CORE.map((room) => ({
  name: `lower core/${room}`,
  files: [`main/core/${room}/**`],
  ignores: TESTS,
  patterns: [
    ...ABOVE_THE_ROOMS,
    of('http', upper('the HTTP server (http/)')),
    { regex: '^(\\.\\./)+(hot-reload|runtime)\\.js$', message: upper('hot reload or the runtime') },
    ...roomsAbove(room, false),
  ],
}));

/**
 * Each room's tests: its own rules, but a test may start the whole daemon to drive its room from
 * the outside: the runtime (`runtime.js`), the runtime harness (`main/core/__fixtures__/`), and the
 * REST client of `http/__fixtures__/`. Nothing else of http/, no operations/, mcp/ or hot reload,
 * and no room above it.
 */
const roomTestEntries = LOWER_CORE.map((room) => ({
  name: `lower core/${room} tests`,
  files: TESTS.map((glob) => `main/core/${room}/${glob}`),
  ignores: [],
  patterns: [
    ...ABOVE_THE_ROOMS,
    httpFixturesOnly('a test of a lower core room reaches http/ only through http/__fixtures__/ (the REST client).'),
    { regex: '^(\\.\\./)+hot-reload\\.js$', message: upper('hot reload') },
    ...roomsAbove(room, true),
  ],
}));

/** What main/cli and main/electron may import of main/core: the runtime, the dispatcher, and the shell surface. */
const SHELL_DOORS = ['runtime', 'shell-surface', 'operations/dispatcher', 'operations/dispatcher-bridge'];
const SHELL_DOORS_TEXT =
  'the shells reach the core only through main/core/runtime.js (the whole daemon), operations/dispatcher.js and operations/dispatcher-bridge.js (the operations), and main/core/shell-surface.js (paths, config file, roles, secrets, the login shell, the local operations of the CLI): add what a shell needs to shell-surface.ts';
const shellDoors = { regex: `^(\\.\\./)+core/(?!(${SHELL_DOORS.join('|')})\\.js$)`, message: `${SHELL_DOORS_TEXT}.` };
/**
 * A shell's tests may also use the test drivers: any `__fixtures__/` of the core (the runtime
 * harness, the planner daemon), the store (to read what a command wrote into the real database)
 * and the token service (to check that a printed key authenticates).
 */
const shellTestDoors = {
  regex: `^(\\.\\./)+core/(?!(${SHELL_DOORS.join('|')})\\.js$)(?!(.+/)?__fixtures__/)(?!store/)(?!auth/token-service\\.js$)`,
  message: `${SHELL_DOORS_TEXT}; a shell's test may also use the core's __fixtures__/, store/ and auth/token-service.js.`,
};

/** Each entry: the files it covers, and what they must not import. */
export const layers = [
  {
    name: 'shared',
    files: ['shared/**'],
    ignores: [],
    patterns: [
      electron,
      notTheTools,
      node('shared/ (also in the browser bundle and the preload)'),
      of('main', 'shared/ is the contract between processes: it imports nothing of main/.'),
      of('renderer', 'shared/ imports nothing of renderer/.'),
      of('preload', 'shared/ imports nothing of preload/.'),
    ],
  },
  ...roomEntries,
  ...roomTestEntries,
  {
    name: 'operations',
    files: ['main/core/operations/**'],
    ignores: TESTS,
    patterns: [
      ...CORE_BASE,
      of('http', 'the operations are transport-neutral: they import nothing of the HTTP server (http/).'),
      of('mcp', 'the operations import nothing of the MCP endpoints (mcp/).'),
    ],
  },
  {
    name: 'operations tests',
    files: TESTS.map((glob) => `main/core/operations/${glob}`),
    ignores: [],
    patterns: [
      ...CORE_BASE,
      httpFixturesOnly('a test of the operations reaches http/ only through http/__fixtures__/ (the REST client).'),
      of('mcp', 'the operations import nothing of the MCP endpoints (mcp/), nor do their tests.'),
    ],
  },
  {
    name: 'mcp endpoints',
    files: ['main/core/mcp/**'],
    ignores: TESTS,
    patterns: [
      ...CORE_BASE,
      of('http', 'the MCP endpoints import nothing of the HTTP server (http/): it routes to them.'),
      of('operations', 'the MCP endpoints import nothing of the operations layer.'),
    ],
  },
  {
    name: 'mcp endpoints tests',
    files: TESTS.map((glob) => `main/core/mcp/${glob}`),
    ignores: [],
    patterns: [
      ...CORE_BASE,
      httpFixturesOnly('a test of the MCP endpoints reaches http/ only through http/__fixtures__/.'),
      of('operations', 'the MCP endpoints import nothing of the operations layer, nor do their tests.'),
    ],
  },
  {
    // http/, activity/, hot reload, the runtime, the shell surface, and the core's own test drivers.
    name: 'core',
    files: ['main/core/**'],
    ignores: [...LOWER_CORE.map((folder) => `main/core/${folder}/**`), 'main/core/operations/**', 'main/core/mcp/**'],
    patterns: [electron, notTheTools, noCli, noShell],
  },
  {
    name: 'cli',
    files: ['main/cli/**'],
    ignores: TESTS,
    patterns: [electron, notTheTools, shellDoors, of('electron', 'the CLI imports nothing of the desktop app (main/electron).')],
  },
  {
    name: 'cli tests',
    files: TESTS.map((glob) => `main/cli/${glob}`),
    ignores: [],
    patterns: [electron, notTheTools, shellTestDoors, of('electron', 'the CLI imports nothing of the desktop app (main/electron).')],
  },
  {
    name: 'electron',
    files: ['main/electron/**'],
    ignores: TESTS,
    patterns: [notTheTools, shellDoors, of('cli', 'the desktop app imports nothing of the CLI (main/cli).')],
  },
  {
    name: 'electron tests',
    files: TESTS.map((glob) => `main/electron/${glob}`),
    ignores: [],
    patterns: [notTheTools, shellTestDoors, of('cli', 'the desktop app imports nothing of the CLI (main/cli).')],
  },
  {
    name: 'renderer',
    files: ['renderer/**'],
    // Its tests may start a real daemon.
    ignores: ['renderer/test/**', '**/*.test.ts', '**/*.test.tsx'],
    patterns: [
      electron,
      notTheTools,
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
