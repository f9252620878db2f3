// The MCP Orch daemon that bench/conformance/client.mjs puts between the conformance suite's
// scenario server and its own client: started with a private home and a config holding one remote
// server (the scenario's URL), reached through its own endpoints (REST and `/mcp/<server>`) with its
// admin token, and stopped with everything it started. Also the user's part in a sign-in: `signIn`
// presses Sign in; the daemon opens the authorization URL with `$BROWSER`, which is
// follow-redirects.mjs here.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { daemonEnv, startProcess } from '../proxy/processes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
export const SERVER = 'conformance';
// Bounded, and generous: the suite may start every scenario of a set (a daemon each) at once.
const READY_TIMEOUT_MS = 60_000;
const STATE_TIMEOUT_MS = 60_000;
const REST_TIMEOUT_MS = 60_000;
/** States after which waiting longer changes nothing without a user (or a restart). */
const SETTLED = new Set(['running', 'needs-sign-in', 'failed', 'crashed', 'backoff', 'stopped', 'disabled']);

/**
 * Starts `mcp-orch serve` (this checkout's build) with `config` as its whole config file; `env` is
 * added to its environment (e.g. a client secret that `${env:NAME}` in the config names).
 */
export async function startDaemon(config, env = {}) {
  const home = await mkdtemp(join(tmpdir(), 'mcp-orch-conformance-client-'));
  const token = randomBytes(24).toString('hex');
  const configPath = join(home, 'mcp-config.json');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const follower = join(here, 'follow-redirects.mjs');
  const proc = startProcess({
    name: 'mcp-orch serve',
    command: process.execPath,
    args: [join(repoRoot, 'bin/mcp-orch.js'), 'serve', '--config', configPath, '--port', '0', '--host', '127.0.0.1'],
    cwd: home,
    env: {
      ...daemonEnv(home, token),
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_STATE_HOME: join(home, '.local/state'),
      XDG_DATA_HOME: join(home, '.local/share'),
      XDG_CACHE_HOME: join(home, '.cache'),
      // Split on whitespace by the daemon, the URL appended: no path here may hold a space.
      BROWSER: `${process.execPath} ${follower}`,
      ...env,
    },
  });
  const stop = async () => {
    await proc.stop();
    await rm(home, { recursive: true, force: true }).catch(() => undefined);
  };
  try {
    const [, base] = await proc.waitForOutput(/MCP Orch listening on (http:\/\/127\.0\.0\.1:\d+)/, READY_TIMEOUT_MS);
    // The server's own log (stderr and MCP Orch's notes on the connection), for a failure's report.
    const serverLog = () => readFile(join(home, 'logs', `${SERVER}.log`), 'utf8').catch(() => '');
    return { base, token, proc, stop, output: () => proc.output(), serverLog };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A REST call to the daemon as its admin; resolves with the parsed body, rejects on an error status. */
export async function api(daemon, method, path, body) {
  const response = await fetch(`${daemon.base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${daemon.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: globalThis.AbortSignal.timeout(REST_TIMEOUT_MS),
  });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return parsed;
}

/** The server's status once it has settled (running, waiting for sign-in, or failed), bounded. */
export async function settledServer(daemon, { until = (server) => SETTLED.has(server.state) } = {}) {
  const deadline = Date.now() + STATE_TIMEOUT_MS;
  let server;
  while (Date.now() < deadline) {
    server = await api(daemon, 'GET', `/api/servers/${SERVER}`);
    if (until(server)) return server;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`server "${SERVER}" did not settle in ${STATE_TIMEOUT_MS} ms: ${JSON.stringify(server)}`);
}

/** Whether the server waits for a user to sign in (first sign-in, or more scope asked for): `GET /api/servers/<name>`'s state and `signIn`. */
export function wantsSignIn(server) {
  return server.state === 'needs-sign-in' || Boolean(server.signIn?.problem);
}

/** Whether a sign-in just started has ended: the browser's redirect came back (or the sign-in failed) and the server settled. */
export function signInEnded(server) {
  if (server.signIn?.pending) return false;
  if (server.state === 'failed') return true;
  if (server.state === 'running') return true;
  // Still (or again) waiting for a sign-in: this one did not do it.
  return server.state === 'needs-sign-in' && Boolean(server.signIn?.problem);
}

/**
 * Presses Sign in (`POST /api/servers/<name>/sign-in`); the daemon opens the authorization URL
 * with $BROWSER (follow-redirects.mjs), gets the callback and restarts the connection. Resolves
 * with the server's status once it runs again (or has settled otherwise).
 */
export async function signIn(daemon, log) {
  const answer = await api(daemon, 'POST', `/api/servers/${SERVER}/sign-in`, {});
  log(`sign-in: ${JSON.stringify({ status: answer?.status, opened: answer?.opened })}`);
  if (answer?.status === 'redirect' && answer.opened === false) throw new Error('the daemon could not open the authorization URL');
  const server = await settledServer(daemon, { until: signInEnded });
  log(`after sign-in: ${server.state} ${JSON.stringify(server.signIn ?? {})}`);
  return server;
}
