/**
 * Test support: the walk of every operation of the contract, shared by the in-process dispatch test
 * and the same walk over REST. A daemon with the servers the walk needs, a valid input per
 * operation, and for each field a value its schema refuses.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathParamNames, restInput, type Operation } from '../../../../shared/api/contract.js';
import type { OperationId } from '../../../../shared/api/operations.js';
import { TEST_TOKEN, exampleServer, fixtureServer, startHarness, type Harness } from '../../__fixtures__/runtime-harness.js';
import { pollFor } from '../../__fixtures__/wait.js';
import { startOAuthServer } from '../../oauth/__fixtures__/start-oauth-server.js';

const BATCH_SERVER = new URL('../../batch/__fixtures__/batch-server.mjs', import.meta.url).pathname;

/** A run over the example server's read-only `echo`: needs no approval. */
export const ECHO_PLAN = { tasks: [{ id: 'say', tool: 'example__echo', arguments: { text: 'walk' } }] };
/** A run that holds until cancelled, so a cancel finds it running. */
export const BLOCKING_PLAN = { tasks: [{ id: 'hold', tool: 'batchy__block', arguments: { label: 'walk' } }] };

/**
 * A daemon with `example`, `second` (for lifecycle calls), `secretive` (masked values) and `batchy`
 * (runs), whose HOME is a folder of its own holding a Claude Desktop config (the MCP clients' files
 * it connects and imports from live there, never in the real home). `dispose` removes it all.
 */
export async function startWalkHarness(): Promise<Harness> {
  process.env.ORCH_API_TEST_SECRET = 'sekrit-from-the-environment';
  const secretive = exampleServer({ env: { API_KEY: 'sekrit-env-value' }, headers: { Authorization: 'Bearer sekrit-header' } });
  secretive.args = [...(secretive.args ?? []), '--token=${env:ORCH_API_TEST_SECRET}'];
  const home = await mkdtemp(join(tmpdir(), 'mcp-orch-home-'));
  const desktop = join(home, '.config', 'Claude');
  await mkdir(desktop, { recursive: true });
  await writeFile(join(desktop, 'claude_desktop_config.json'), JSON.stringify({ mcpServers: { 'desktop-example': exampleServer() } }));
  const env = {
    ...process.env,
    MCP_ORCH_LOGIN_SHELL_PATH: '0',
    MCP_ORCH_TOKEN: TEST_TOKEN,
    MCP_ORCH_HOME: home,
    MCP_ORCH_SECRETS_FILE: join(home, 'secrets.json'),
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
  };
  // `signed`: a remote server that asks for a sign-in (the browser is never opened).
  const signed = await startOAuthServer();
  const harness = await startHarness(
    { example: exampleServer(), second: exampleServer(), secretive, batchy: fixtureServer(BATCH_SERVER), signed: { url: signed.url } },
    { runtime: { env, openBrowser: () => Promise.resolve(false) } },
  );
  // Runs name tools of the aggregate: wait until the catalogs they use are known.
  const known = () => new Set(harness.runtime.view.tools.map((tool) => tool.name));
  await pollFor('the example and batchy catalogs are known', () => known().has('example__echo') && known().has('batchy__block'));
  const dispose = harness.dispose.bind(harness);
  return {
    ...harness,
    dispose: async () => {
      await dispose();
      signed.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

export type ValidInputs = Record<OperationId, () => Record<string, unknown> | Promise<Record<string, unknown>>>;

/**
 * A valid input of each operation (path parameters included), computed when its turn comes.
 * `startRun` starts a plan through the transport under test and answers the run id; `configText`
 * reads the config file's text and revision the same way.
 */
export function validInputs(
  harness: () => Harness,
  transport: {
    startRun(plan: unknown): Promise<string>;
    config(): Promise<{ text: string; revision: string }>;
    /** Connects `client` (its servers' entries), so there is a connection to undo. */
    connectClient(client: string): Promise<void>;
  },
): ValidInputs {
  let echoRun: Promise<string> | undefined;
  let blockingRun: Promise<string> | undefined;
  let keys = 0;
  const newKey = (prefix: string): string =>
    harness().runtime.tokens.createToken({ name: `${prefix}-${++keys}`, role: 'viewer' }).record.id;
  return {
    'servers.list': () => ({}),
    'servers.status': () => ({ name: 'example' }),
    'servers.start': () => ({ name: 'second' }),
    'servers.stop': () => ({ name: 'second' }),
    'servers.restart': () => ({ name: 'second' }),
    'servers.enable': () => ({ name: 'second' }),
    'servers.disable': () => ({ name: 'second' }),
    'servers.logs': () => ({ name: 'example', limit: 5 }),
    'servers.signIn': () => ({ name: 'signed' }),
    'servers.signOut': () => ({ name: 'signed' }),
    'tools.list': () => ({ server: 'example' }),
    'tools.enable': () => ({ server: 'example', tool: 'now' }),
    'tools.disable': () => ({ server: 'example', tool: 'now' }),
    'tools.call': () => ({ server: 'example', tool: 'echo', arguments: { text: 'walk' } }),
    'config.get': () => ({}),
    'config.validate': () => ({ text: '{ "mcpServers": {} }' }),
    'config.put': () => transport.config(),
    'mode.get': () => ({}),
    'mode.set': () => ({ mode: 'batch' }),
    'runs.create': () => ({ plan: ECHO_PLAN }),
    'runs.dryRun': () => ({ plan: ECHO_PLAN }),
    'runs.list': () => ({ limit: 10 }),
    'runs.get': async () => ({ id: await (echoRun ??= transport.startRun(ECHO_PLAN)) }),
    'runs.cancel': async () => ({ id: await (blockingRun ??= transport.startRun(BLOCKING_PLAN)) }),
    'calls.list': () => ({ limit: 10 }),
    'stats.get': () => ({}),
    'tokens.list': () => ({ all: true }),
    'tokens.create': () => ({ name: `walk-created-${++keys}`, role: 'viewer', allow: ['example__*'] }),
    'tokens.revoke': () => ({ id: newKey('walk-revoked') }),
    'tokens.rotate': () => ({ id: newKey('walk-rotated'), graceMs: 60_000 }),
    'audit.list': () => ({ limit: 5 }),
    'secrets.list': () => ({}),
    'secrets.set': () => ({ name: 'WALK_TOKEN', value: 'walk-value' }),
    'secrets.clear': () => ({ name: 'WALK_TOKEN' }),
    'clientConfig.get': () => ({ client: 'cline', server: 'example' }),
    'metrics.processes': () => ({}),
    'metrics.series': () => ({ since: Date.now() - 3_600_000, bucketMs: 60_000 }),
    'clients.list': () => ({}),
    'clients.preview': () => ({ client: 'cline' }),
    'clients.connect': () => ({ client: 'cursor' }),
    // Each turn connects Windsurf first, so there is always a connect to undo.
    'clients.undo': async () => {
      await transport.connectClient('windsurf');
      return { client: 'windsurf' };
    },
    'import.scan': () => ({}),
    'import.apply': () => ({ servers: [{ client: 'claude-desktop', name: 'desktop-example', as: 'imported-example' }], dryRun: true }),
    'events.stream': () => ({}),
    'openapi.get': () => ({}),
  };
}

/** Values some field may refuse: any JSON for a body or in-process input, strings for a query. */
const JSON_CANDIDATES: unknown[] = [{ not: ['a', 'string'] }, 'zz-not-valid', -1.5, 'x'.repeat(2_000_000), [1, 2]];
const QUERY_CANDIDATES = ['zz-not-valid', '-1.5', '0', 'x'.repeat(300)];

/**
 * For each field, a value the schema refuses at that field, if there is one. `rest`: as REST
 * carries it (path parameters stay valid, query fields are strings); `direct`: any field, any JSON.
 */
export function malformedFields(operation: Operation, valid: Record<string, unknown>, mode: 'rest' | 'direct'): [string, unknown][] {
  const pathNames = new Set(pathParamNames(operation.path));
  const found: [string, unknown][] = [];
  const body = mode === 'direct' || operation.method === 'POST' || operation.method === 'PUT';
  for (const field of Object.keys(operation.input.shape)) {
    if (mode === 'rest' && pathNames.has(field)) continue;
    for (const candidate of body ? JSON_CANDIDATES : QUERY_CANDIDATES) {
      let input: unknown = { ...valid, [field]: candidate };
      if (mode === 'rest') {
        const params = Object.fromEntries([...pathNames].map((name) => [name, String(valid[name])]));
        const rest = { ...valid, [field]: candidate };
        for (const name of pathNames) delete rest[name];
        input = restInput(operation, body ? { params, query: {}, body: rest } : { params, query: rest as Record<string, string> });
      }
      const result = operation.input.safeParse(input);
      if (!result.success && result.error.issues.some((issue) => issue.path[0] === field)) {
        found.push([field, candidate]);
        break;
      }
    }
  }
  return found;
}

/** The fields a body-carrying operation cannot do without (its empty input must name them). */
export function requiredFields(operation: Operation): string[] {
  const shape = operation.input.shape as Record<string, { safeParse(value: unknown): { success: boolean } }>;
  return Object.keys(shape).filter(
    (field) => !pathParamNames(operation.path).includes(field) && !shape[field]!.safeParse(undefined).success,
  );
}
