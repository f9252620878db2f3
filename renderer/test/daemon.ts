/**
 * Test support for the store tests: a real daemon in this process (the example server over stdio,
 * REST and /api/events over HTTP on 127.0.0.1, SQLite in a temp home), and pages of stores on the
 * real typed client whose line a test can cut: the live stream dropped and refused until restored,
 * or every call sent with a token the daemon refuses. Waits are on state (`vi.waitFor`), never on time.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, vi } from 'vitest';
import { createClient, type OrchClient } from '../../shared/api/client';
import { fetchTransport } from '../../shared/api/fetch-transport';
import { createRuntime, type Runtime } from '../../main/core/runtime';
import { createStores, startLiveUpdates, type Stores } from '../src/stores/stores';

export const EXAMPLE = fileURLToPath(new URL('../../resources/example-server.mjs', import.meta.url));
export const TOKEN = 'store-test-token-0123456789abcdef';

/** The config file every test daemon starts from: the example server, batch runs approved. */
export const EXAMPLE_FILE = {
  mcpServers: { example: { command: process.execPath, args: [EXAMPLE] } },
  orch: { batch: { approveAll: true } },
};

export interface Daemon {
  runtime: Runtime;
  /** The temp folder that is HOME, MCP_ORCH_HOME and the data folder of the daemon. */
  home: string;
  configPath: string;
  /** Another client of the daemon, for changes made "elsewhere" (another page, the CLI). */
  other: OrchClient;
  dispose(): Promise<void>;
}

/** Starts a daemon on 127.0.0.1 with `file` as its config; resolves once its servers started. */
export async function startDaemon(file: object = EXAMPLE_FILE): Promise<Daemon> {
  const home = await mkdtemp(join(tmpdir(), 'mcp-orch-stores-'));
  const configPath = join(home, 'mcp-config.json');
  await writeFile(configPath, JSON.stringify(file, null, 2));
  const runtime = await createRuntime({
    configPath,
    port: 0,
    host: '127.0.0.1',
    env: { ...process.env, HOME: home, MCP_ORCH_HOME: home, MCP_ORCH_TOKEN: TOKEN, MCP_ORCH_LOGIN_SHELL_PATH: '0' },
    logDir: join(home, 'logs'),
    databasePath: join(home, 'orch.db'),
  });
  await runtime.ready;
  return {
    runtime,
    home,
    configPath,
    other: createClient(fetchTransport({ baseUrl: runtime.url, token: TOKEN })),
    async dispose() {
      await runtime.dispose();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** A `fetch` to the daemon that the test can cut. */
export interface Line {
  fetch: typeof fetch;
  /** The path (and query) of every call made over the line, in order; the stream not included. */
  requests: string[];
  /** Drops the open event streams and refuses new ones until `restoreStream`. */
  dropStream(): void;
  restoreStream(): void;
  /** Sends every call (not the stream) with a token the daemon refuses, until `acceptCalls`. */
  refuseCalls(): void;
  acceptCalls(): void;
}

export function createLine(): Line {
  let dropped = false;
  let refused = false;
  const streams = new Set<AbortController>();
  const requests: string[] = [];
  const lineFetch: typeof fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.endsWith('/api/events')) {
      if (dropped) return Promise.reject(new TypeError('fetch failed'));
      const controller = new AbortController();
      init?.signal?.addEventListener('abort', () => controller.abort(), { once: true });
      streams.add(controller);
      return fetch(input, { ...init, signal: controller.signal });
    }
    const { pathname, search } = new URL(url);
    requests.push(`${pathname}${search}`);
    if (!refused) return fetch(input, init);
    return fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: 'Bearer refused-token' } });
  };
  return {
    fetch: lineFetch,
    requests,
    dropStream() {
      dropped = true;
      for (const controller of streams) controller.abort();
      streams.clear();
    },
    restoreStream() {
      dropped = false;
    },
    refuseCalls() {
      refused = true;
    },
    acceptCalls() {
      refused = false;
    },
  };
}

/** A dashboard page: its stores on their own client over a line the test can cut. */
export interface Page {
  stores: Stores;
  line: Line;
  /** Cuts the stream, runs `work` while it is down (its events are missed), and brings the stream back. */
  whileDropped(work: () => void | Promise<void>): Promise<void>;
  /** Runs `work` with every call sent on a token the daemon refuses, then has calls accepted again. */
  whileRefused(work: () => Promise<unknown>): Promise<void>;
  close(): void;
}

/** Opens a page on `daemon`; with `live`, it follows the event stream (resolves once it is open). */
export async function openPage(daemon: Daemon, options: { live?: boolean } = {}): Promise<Page> {
  const line = createLine();
  const client = createClient(
    fetchTransport({ baseUrl: daemon.runtime.url, token: TOKEN, fetch: line.fetch, reconnect: { initialMs: 10, maxMs: 50 } }),
  );
  const stores = createStores(client);
  const stop = options.live === false ? () => undefined : startLiveUpdates(stores);
  if (options.live !== false) await settle(() => expectStatus(stores, 'open'));
  return {
    stores,
    line,
    async whileDropped(work) {
      line.dropStream();
      await settle(() => expectStatus(stores, 'closed', 'connecting'));
      await work();
      line.restoreStream();
      await settle(() => expectStatus(stores, 'open'));
    },
    async whileRefused(work) {
      line.refuseCalls();
      try {
        await work();
      } finally {
        line.acceptCalls();
      }
    },
    close: stop,
  };
}

/** The daemon and the live page a test file shares; reading either before `beforeAll` ran throws. */
export interface SharedPage {
  readonly daemon: Daemon;
  readonly page: Page;
}

/**
 * Registers the hooks that give a test file one daemon and one live page on it, both closed after the
 * file's last test. `prepare` runs on the started daemon before the page opens (files the page should
 * find there); `opened` runs once the page follows the stream (calls it should see made).
 */
export function sharedPage(
  options: { prepare?: (daemon: Daemon) => Promise<void>; opened?: (daemon: Daemon, page: Page) => Promise<void> } = {},
): SharedPage {
  let daemon: Daemon | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    daemon = await startDaemon();
    await options.prepare?.(daemon);
    page = await openPage(daemon);
    await options.opened?.(daemon, page);
  });
  afterAll(async () => {
    page?.close();
    await daemon?.dispose();
  });
  return {
    get daemon() {
      if (!daemon) throw new Error('the shared daemon not started: read before beforeAll ran, or starting it failed');
      return daemon;
    },
    get page() {
      if (!page) throw new Error('the shared page not open: read before beforeAll ran, or opening it failed');
      return page;
    },
  };
}

function expectStatus(stores: Stores, ...statuses: string[]): void {
  const status = stores.connection.getState().status;
  if (!statuses.includes(status)) throw new Error(`the stream is ${status}, not ${statuses.join(' or ')}`);
}

/** Waits until `check` stops throwing (a state reached), re-checking often; fails after 10 s. */
export function settle<Value>(check: () => Value | Promise<Value>): Promise<Value> {
  return vi.waitFor(check, { timeout: 10_000, interval: 10 });
}
