// The rows of `npm run conformance`: what serves MCP at a URL the suite is pointed at, all on
// 127.0.0.1. A target's `start(ctx)` resolves to `{ url, bearer?, stop() }`; `bearer` is the
// token the suite must send (see bearer-preload.mjs). Targets with `needsReference` run the
// suite's reference server (examples/servers/typescript/everything-server.ts of the repository
// modelcontextprotocol/conformance), which is not on npm and not in this repository: it is read
// from the checkout given with --reference, transpiled into the run's temp folder, and run there
// with Node 22 and the suite's own dependencies.
import { readFileSync, realpathSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import ts from 'typescript';
import { daemonEnv, freePort, startProcess } from '../proxy/processes.mjs';
import { baseEnv, privateHome } from '../proxy/targets.mjs';

const READY_TIMEOUT_MS = 60_000;
export const REFERENCE_FILE = 'examples/servers/typescript/everything-server.ts';

function versionOf(ctx, name) {
  return JSON.parse(readFileSync(join(ctx.repoRoot, 'node_modules', name, 'package.json'), 'utf8')).version;
}

function binScript(ctx, name) {
  return realpathSync(join(ctx.repoRoot, 'node_modules', '.bin', name));
}

function shellQuote(word) {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** The v1 stdio fixture (SDK 1.x) as a server spawns it. */
function fixtureCommand(ctx) {
  return [process.execPath, ctx.fixturePath, '--stdio'];
}

/** Resolves once something accepts HTTP on `url` (any status), or rejects when `proc` exits or time runs out. */
async function waitForHttp(proc, url) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (proc.exited()) throw new Error(`${proc.name}: exited before it served\n${proc.output()}`);
    try {
      await fetch(url, { method: 'GET', signal: globalThis.AbortSignal.timeout(2_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`${proc.name}: not serving ${url} after ${READY_TIMEOUT_MS} ms\n${proc.output()}`);
}

/** Transpiles the reference server from the checkout into `dir` (once per run) and returns the .mjs path. */
async function transpileReference(ctx) {
  if (ctx.referenceScript) return ctx.referenceScript;
  const source = await readFile(join(ctx.reference, REFERENCE_FILE), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    fileName: 'everything-server.ts',
  });
  const dir = join(ctx.tmpDir, 'reference');
  await mkdir(dir, { recursive: true });
  // Its imports (the v1 SDK, express, cors, zod) resolve from the suite's own installed dependencies.
  await symlink(ctx.tools.nodeModules, join(dir, 'node_modules'), 'dir');
  ctx.referenceScript = join(dir, 'everything-server.mjs');
  await writeFile(ctx.referenceScript, outputText);
  return ctx.referenceScript;
}

/** The SHA-256 (12 hex digits) of the reference's source, named in the results. */
export function referenceDigest(reference) {
  return createHash('sha256')
    .update(readFileSync(join(reference, REFERENCE_FILE)))
    .digest('hex')
    .slice(0, 12);
}

/** Starts the reference server on a free port; it listens on every interface, so the loopback preload pins it to 127.0.0.1. */
async function startReference(ctx) {
  const script = await transpileReference(ctx);
  const port = await freePort();
  const proc = startProcess({
    name: 'reference everything-server',
    command: ctx.tools.node,
    args: ['--import', ctx.loopbackPreload, script],
    cwd: join(ctx.tmpDir, 'reference'),
    env: baseEnv(ctx.tmpDir, { PORT: String(port) }),
  });
  try {
    await proc.waitForOutput(/running on http:\/\/localhost:\d+/, READY_TIMEOUT_MS);
  } catch (error) {
    await proc.stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}/mcp`, stop: () => proc.stop() };
}

/** `mcp-orch serve` of this checkout (or of --daemon's), with `servers` as its whole config and a private home. */
async function startDaemon(ctx, servers) {
  const home = await privateHome(ctx, 'mcp-orch');
  const configPath = join(home, 'mcp-config.json');
  await writeFile(configPath, JSON.stringify({ mcpServers: servers }, null, 2));
  const proc = startProcess({
    name: 'mcp-orch serve',
    command: process.execPath,
    args: [join(ctx.daemonRoot, 'bin/mcp-orch.js'), 'serve', '--config', configPath, '--port', '0', '--host', '127.0.0.1'],
    cwd: home,
    env: daemonEnv(home, ctx.orchToken),
  });
  try {
    const [, base] = await proc.waitForOutput(/MCP Orch listening on (http:\/\/127\.0\.0\.1:\d+)/, READY_TIMEOUT_MS);
    return { base, stop: () => proc.stop() };
  } catch (error) {
    await proc.stop();
    throw error;
  }
}

/** The daemon's URL for `server`, and how the suite authenticates (header by the preload, or ?access_token=). */
function daemonEndpoint(ctx, base, server) {
  const url = `${base}/mcp/${server}`;
  if (ctx.auth === 'query') return { url: `${url}?access_token=${ctx.orchToken}` };
  return { url, bearer: { token: ctx.orchToken, origin: base } };
}

const orchFixture = {
  id: 'mcp-orch/fixture',
  label: 'mcp-orch `/mcp/<server>` → v1 stdio fixture',
  async start(ctx) {
    const [command, ...args] = fixtureCommand(ctx);
    const daemon = await startDaemon(ctx, { conformance: { command, args } });
    return { ...daemonEndpoint(ctx, daemon.base, 'conformance'), stop: daemon.stop };
  },
};

const orchReference = {
  id: 'mcp-orch/reference',
  label: 'mcp-orch `/mcp/<server>` → reference (remote Streamable HTTP)',
  needsReference: true,
  async start(ctx) {
    const reference = await startReference(ctx);
    try {
      const daemon = await startDaemon(ctx, { reference: { url: reference.url } });
      return {
        ...daemonEndpoint(ctx, daemon.base, 'reference'),
        stop: async () => {
          await daemon.stop();
          await reference.stop();
        },
      };
    } catch (error) {
      await reference.stop();
      throw error;
    }
  },
};

const referenceDirect = {
  id: 'reference',
  label: 'reference everything-server, served directly',
  needsReference: true,
  start: (ctx) => startReference(ctx),
};

const fixtureDirect = {
  id: 'fixture',
  label: 'v1 fixture, served directly (SDK 1.x Streamable HTTP)',
  async start(ctx) {
    const proc = startProcess({
      name: 'v1 fixture (HTTP)',
      command: process.execPath,
      args: [ctx.fixturePath, '--http', '--port', '0'],
      env: baseEnv(ctx.tmpDir),
    });
    try {
      const [, base] = await proc.waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+)/, READY_TIMEOUT_MS);
      return { url: `${base}/mcp`, stop: () => proc.stop() };
    } catch (error) {
      await proc.stop();
      throw error;
    }
  },
};

/** mcp-proxy's Streamable HTTP endpoint in front of the fixture, started as bench/proxy starts it. */
const mcpProxy = {
  id: 'mcp-proxy',
  label: (ctx) => `mcp-proxy ${versionOf(ctx, 'mcp-proxy')} \`/mcp\` → v1 stdio fixture`,
  async start(ctx) {
    const port = await freePort();
    const proc = startProcess({
      name: 'mcp-proxy',
      command: process.execPath,
      args: [binScript(ctx, 'mcp-proxy'), '--port', String(port), '--host', '127.0.0.1', '--', ...fixtureCommand(ctx)],
      env: baseEnv(ctx.tmpDir),
    });
    const url = `http://127.0.0.1:${port}/mcp`;
    await waitForHttp(proc, url).catch(async (error) => {
      await proc.stop();
      throw error;
    });
    return { url, stop: () => proc.stop() };
  },
};

/** supergateway's Streamable HTTP output in front of the fixture: `--stateful` as bench/proxy runs it, or its stateless default. */
function supergateway(stateful) {
  return {
    id: `supergateway/${stateful ? 'stateful' : 'stateless'}`,
    label: (ctx) => `supergateway ${versionOf(ctx, 'supergateway')} \`/mcp\` (${stateful ? '--stateful' : 'stateless'}) → v1 stdio fixture`,
    async start(ctx) {
      const port = await freePort();
      const proc = startProcess({
        name: this.id,
        command: process.execPath,
        args: [
          binScript(ctx, 'supergateway'),
          '--stdio',
          fixtureCommand(ctx).map(shellQuote).join(' '),
          '--port',
          String(port),
          '--logLevel',
          'none',
          '--outputTransport',
          'streamableHttp',
          ...(stateful ? ['--stateful'] : []),
        ],
        // supergateway has no bind-address option: the preload keeps it on 127.0.0.1.
        env: baseEnv(ctx.tmpDir, { NODE_OPTIONS: `--import=${ctx.loopbackPreload}` }),
      });
      const url = `http://127.0.0.1:${port}/mcp`;
      await waitForHttp(proc, url).catch(async (error) => {
        await proc.stop();
        throw error;
      });
      return { url, stop: () => proc.stop() };
    },
  };
}

/** Every row, in the order of the table. */
export const TARGETS = [orchFixture, orchReference, referenceDirect, fixtureDirect, mcpProxy, supergateway(true), supergateway(false)];

export function labelOf(target, ctx) {
  return typeof target.label === 'function' ? target.label(ctx) : target.label;
}
