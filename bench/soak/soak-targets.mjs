// What the soak runs against: the daemon with three soak-fixture servers in batch mode, and the
// peers' rows of bench/proxy serving the same fixture. Each started target is an instance:
//   name, product      row name ('mcp-orch', 'supergateway SSE', …) and the program behind it
//   proc               the serving process (startProcess); its pid is the daemon or gateway
//   perSessionUpstream true when each session has a fixture process of its own (a kill hits one session)
//   servers            the upstream servers' names ('a', 'b', 'c' for the daemon; 'echo' for a peer)
//   logs               server → FixtureLog of that server's fixture processes
//   logNeedle          a string only this target's fixture command lines contain (orphan search)
//   endpoints          { id, transport: 'sse'|'streamable', server | undefined (aggregate), batch }
//   connect(endpoint)  an SDK client in a session of its own ({ client, close })
//   connectSpec(endpoint)  how to connect one elsewhere (a worker thread): { kind, url, headers }
//   tool(endpoint, server, tool)  the name a tool has on that endpoint
//   upstreams()        the fixture processes now serving: [{ server, pid }]
//   heapSnapshot()     (the daemon, with ctx.heapSnapshots) its live heap after a full GC
//   stop()             kills the whole tree
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { processTree, startProcess } from '../proxy/processes.mjs';
import { allTargets, baseEnv, connectHttp, fixtureCommand, privateHome } from '../proxy/targets.mjs';
import { FixtureLog } from './fixture-log.mjs';
import { heapSnapshotFlags, takeHeapSnapshot } from './heap-snapshot.mjs';
import { commandLine } from './proc-stats.mjs';

const READY_TIMEOUT_MS = 60_000;
export const ORCH_SERVERS = ['a', 'b', 'c'];
/** The peers' rows of bench/proxy that serve a stdio fixture on per-server endpoints. */
export const PEER_ROWS = ['supergateway SSE', 'supergateway Streamable', 'mcp-proxy SSE', 'mcp-proxy Streamable'];

/**
 * The upstream processes of a tree: descendants whose command line runs this target's fixture. A
 * shell in between (supergateway spawns through `sh -c`) also matches; only the innermost is kept.
 */
function fixtureProcesses(rootPid, needle) {
  const matching = processTree(rootPid).filter((pid) => pid !== rootPid && commandLine(pid).includes(needle));
  return matching.filter((pid) => !processTree(pid).some((below) => below !== pid && matching.includes(below)));
}

async function api(base, token, path) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 10_000);
  try {
    const response = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` }, signal: controller.signal });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return await response.json();
  } finally {
    clearTimeout(timer);
  }
}

async function waitUntilRunning(base, token, proc) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last;
  while (Date.now() < deadline) {
    if (proc.exited()) throw new Error(`mcp-orch exited before its servers ran\n${proc.output()}`);
    try {
      last = (await api(base, token, '/api/servers')).servers;
      if (last.length === ORCH_SERVERS.length && last.every((server) => server.state === 'running')) return;
    } catch (error) {
      last = error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`mcp-orch: servers not running after ${READY_TIMEOUT_MS} ms: ${JSON.stringify(last)}`);
}

/** The daemon: servers a, b, c (the soak fixture), batch mode, every plan approved. */
export async function startOrch(ctx) {
  const home = await privateHome(ctx, 'mcp-orch');
  const logFiles = Object.fromEntries(ORCH_SERVERS.map((server) => [server, join(home, `fixture-${server}.log`)]));
  const mcpServers = {};
  for (const server of ORCH_SERVERS) {
    const [command, ...args] = fixtureCommand({ ...ctx, fixtureArgs: ['--log', logFiles[server]] });
    mcpServers[server] = { command, args };
  }
  const configPath = join(home, 'mcp-config.json');
  await writeFile(configPath, JSON.stringify({ mcpServers, orch: { mode: 'batch', batch: { approveAll: true } } }, null, 2));
  const heapDir = join(home, 'heap');
  if (ctx.heapSnapshots) await mkdir(heapDir, { recursive: true });
  const proc = startProcess({
    name: 'mcp-orch',
    command: process.execPath,
    args: [
      ...(ctx.heapSnapshots ? heapSnapshotFlags(heapDir) : []),
      join(ctx.orchRoot ?? ctx.repoRoot, 'bin/mcp-orch.js'),
      'serve',
      '--config',
      configPath,
      '--port',
      '0',
      '--host',
      '127.0.0.1',
    ],
    cwd: home,
    env: baseEnv(home, { MCP_ORCH_HOME: home, MCP_ORCH_TOKEN: ctx.orchToken, MCP_ORCH_LOGIN_SHELL_PATH: '0' }),
  });
  let base;
  try {
    [, base] = await proc.waitForOutput(/MCP Orch listening on (http:\/\/127\.0\.0\.1:\d+)/, READY_TIMEOUT_MS);
    await waitUntilRunning(base, ctx.orchToken, proc);
  } catch (error) {
    await proc.stop();
    throw error;
  }
  const headers = { Authorization: `Bearer ${ctx.orchToken}` };
  const endpoints = [
    ...ORCH_SERVERS.flatMap((server) => [
      { id: `mcp/${server}`, transport: 'streamable', path: `/mcp/${server}`, server, batch: true },
      { id: `sse/${server}`, transport: 'sse', path: `/sse/${server}`, server, batch: true },
    ]),
    { id: 'mcp', transport: 'streamable', path: '/mcp', server: undefined, batch: true },
    { id: 'sse', transport: 'sse', path: '/sse', server: undefined, batch: true },
  ];
  return {
    name: 'mcp-orch',
    product: 'mcp-orch',
    proc,
    base,
    servers: ORCH_SERVERS,
    logs: Object.fromEntries(ORCH_SERVERS.map((server) => [server, new FixtureLog(logFiles[server])])),
    logNeedle: home,
    endpoints,
    connect: (endpoint) => connectHttp(endpoint.transport, `${base}${endpoint.path}`, headers),
    connectSpec: (endpoint) => ({ kind: endpoint.transport, url: `${base}${endpoint.path}`, headers }),
    tool: (endpoint, server, tool) => (endpoint.server === undefined ? `${server}__${tool}` : tool),
    async upstreams() {
      const { servers } = await api(base, ctx.orchToken, '/api/servers');
      return servers
        .filter((server) => server.state === 'running' && server.pid)
        .map((server) => ({ server: server.name, pid: server.pid }));
    },
    serverStates: async () => (await api(base, ctx.orchToken, '/api/servers')).servers,
    heapSnapshot: ctx.heapSnapshots ? () => takeHeapSnapshot(proc.pid, heapDir) : undefined,
    stop: () => proc.stop(),
  };
}

/** A peer's row of bench/proxy, serving the soak fixture (`echo`) at its one per-server endpoint. */
export async function startPeer(ctx, rowName) {
  const row = allTargets().find((target) => target.name === rowName);
  if (!row) throw new Error(`no bench/proxy row named ${rowName}`);
  const dir = await privateHome(ctx, rowName.replace(/\W+/g, '-'));
  const logFile = join(dir, 'fixture-echo.log');
  await mkdir(dir, { recursive: true });
  const instance = await row.start({ ...ctx, fixtureArgs: ['--log', logFile] });
  const endpoint = {
    id: `${row.transport === 'sse' ? 'sse' : 'mcp'}/echo`,
    transport: row.transport,
    path: new URL(instance.url).pathname,
    server: 'echo',
    batch: false,
  };
  return {
    name: rowName,
    product: rowName.split(' ')[0],
    // supergateway's stateful Streamable mode spawns one fixture process per session: a kill hits one session.
    perSessionUpstream: rowName === 'supergateway Streamable',
    proc: instance.proc,
    base: new URL(instance.url).origin,
    servers: ['echo'],
    logs: { echo: new FixtureLog(logFile) },
    logNeedle: dir,
    endpoints: [endpoint],
    connect: () => instance.connect(),
    connectSpec: () => ({ kind: row.transport, url: instance.url, headers: instance.headers }),
    tool: (_endpoint, _server, tool) => tool,
    upstreams: async () => fixtureProcesses(instance.proc.pid, dir).map((pid) => ({ server: 'echo', pid })),
    serverStates: async () => undefined,
    stop: () => instance.stop(),
  };
}

/** Starts the rows named in `names` (mcp-orch and/or PEER_ROWS); a row that fails to start is reported, not fatal. */
export async function startTargets(ctx, names) {
  const started = [];
  const failed = [];
  for (const name of names) {
    try {
      started.push(name === 'mcp-orch' ? await startOrch(ctx) : await startPeer(ctx, name));
    } catch (error) {
      failed.push({ name, error: String(error?.message ?? error).split('\n')[0] });
    }
  }
  return { started, failed };
}
