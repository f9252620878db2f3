/**
 * Test support for the aggregate and hot-reload integration tests: the fixture servers, waiting for
 * `list_changed` on an SDK client and for a reload of the config file, and raw listings (nothing
 * narrowed by the SDK's schemas).
 */
import { rename, writeFile } from 'node:fs/promises';
import { setTimeout as realSetTimeout } from 'node:timers';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  LoggingMessageNotificationSchema,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ServerConfig } from '../../../shared/config.js';
import type { ReloadResult } from '../hot-reload.js';
import type { Runtime } from '../runtime.js';
import { TRANSPORT_KINDS, fixtureServer, startHarness, type Harness, type TransportKind } from './runtime-harness.js';

/** What OpenAI, Azure and Bedrock accept as a tool name (docs/specification.md §3). */
export const PORTABLE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** The JSON-RPC error code of a call with unknown or bad parameters. */
export const INVALID_PARAMS = -32602;

/** The raw JSON-RPC fixture with N tools (`tool_0` …) that report their pid and `FIXTURE_LABEL`. */
export const MANY_TOOLS_PATH = new URL('./many-tools.mjs', import.meta.url).pathname;
/** The supervisor's fault fixture (`crash`, `pid`, `echo` …). */
export const FAULT_SERVER_PATH = new URL('../supervisor/__fixtures__/fault-server.mjs', import.meta.url).pathname;

/** A `many-tools.mjs` server with `tools` tools, answering with `label`; `controls` adds `grow` and `crash`. */
export function manyToolsServer(
  tools: number,
  label: string,
  options: { controls?: boolean; extra?: Partial<ServerConfig> } = {},
): ServerConfig {
  return fixtureServer(MANY_TOOLS_PATH, ['--tools', String(tools), ...(options.controls ? ['--controls'] : [])], {
    env: { FIXTURE_LABEL: label },
    ...options.extra,
  });
}

/** What a `many-tools.mjs` tool answers. */
export const FixtureAnswer = z.object({ tool: z.string(), pid: z.number(), label: z.string() });
export type FixtureAnswer = z.infer<typeof FixtureAnswer>;

/** A tool, prompt or other list item as the server sent it. */
export const RawItem = z.looseObject({ name: z.string() });
export type RawItem = z.infer<typeof RawItem>;
const RawTools = z.looseObject({ tools: z.array(RawItem) });
const RawPrompts = z.looseObject({ prompts: z.array(RawItem) });

/** `tools/list` as sent (no SDK narrowing). */
export async function rawTools(client: Client): Promise<RawItem[]> {
  return (await client.request({ method: 'tools/list', params: {} }, RawTools)).tools;
}

/** `prompts/list` as sent (no SDK narrowing). */
export async function rawPrompts(client: Client): Promise<RawItem[]> {
  return (await client.request({ method: 'prompts/list', params: {} }, RawPrompts)).prompts;
}

/** Calls a `many-tools.mjs` tool and returns who answered. */
export async function askFixture(client: Client, name: string): Promise<FixtureAnswer> {
  const result = await client.callTool({ name, arguments: {} });
  return FixtureAnswer.parse(result.structuredContent);
}

/** The JSON-RPC error a request failed with, or undefined when it succeeded. */
export async function errorOf(request: Promise<unknown>): Promise<{ code: unknown; message: string } | undefined> {
  try {
    await request;
    return undefined;
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    return { code, message: String(message) };
  }
}

export type ListChangeKind = 'tools' | 'resources' | 'prompts';

/** Counts the `notifications/<kind>/list_changed` a client receives. */
export interface ListChangeRecorder {
  count(kind: ListChangeKind): number;
  /** Resolves once more than `seen` notifications of `kind` have arrived; rejects after `timeoutMs`. */
  after(kind: ListChangeKind, seen: number, timeoutMs?: number): Promise<void>;
}

/** Starts counting the list_changed notifications of `client` (replaces its handlers for them). */
export function recordListChanges(client: Client, label = 'client'): ListChangeRecorder {
  const counts: Record<ListChangeKind, number> = { tools: 0, resources: 0, prompts: 0 };
  const waiters = new Set<() => void>();
  const bump = (kind: ListChangeKind) => () => {
    counts[kind]++;
    for (const waiter of [...waiters]) waiter();
  };
  client.setNotificationHandler(ToolListChangedNotificationSchema, bump('tools'));
  client.setNotificationHandler(ResourceListChangedNotificationSchema, bump('resources'));
  client.setNotificationHandler(PromptListChangedNotificationSchema, bump('prompts'));
  return {
    count: (kind) => counts[kind],
    after(kind, seen, timeoutMs = 15_000) {
      if (counts[kind] > seen) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = realSetTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `${label}: waited ${timeoutMs} ms for notifications/${kind}/list_changed (received ${counts[kind]}, wanted more than ${seen})`,
            ),
          );
        }, timeoutMs);
        timer.unref();
        const check = (): void => {
          if (counts[kind] <= seen) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      });
    },
  };
}

/** The log messages (`notifications/message`) a client receives. */
export interface LogRecorder {
  /** The `data` of every message so far. */
  readonly data: unknown[];
  /** Resolves once a message with this `data` has arrived (at once if it has); rejects after `timeoutMs`. */
  until(data: unknown, timeoutMs?: number): Promise<void>;
}

/** Starts recording the log messages of `client` (replaces its handler for them). */
export function recordLogMessages(client: Client, label = 'client'): LogRecorder {
  const data: unknown[] = [];
  const waiters = new Set<() => void>();
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
    data.push(notification.params.data);
    for (const waiter of [...waiters]) waiter();
  });
  return {
    data,
    until(wanted, timeoutMs = 15_000) {
      if (data.includes(wanted)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = realSetTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${label}: waited ${timeoutMs} ms for the log message ${JSON.stringify(wanted)}; got ${JSON.stringify(data)}`));
        }, timeoutMs);
        timer.unref();
        const check = (): void => {
          if (!data.includes(wanted)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      });
    },
  };
}

/**
 * Lists tools until `predicate` holds, re-listing after each `tools/list_changed` (a change may
 * arrive in several steps). Rejects with `what` when no notification makes it hold in time.
 */
export async function untilTools(
  client: Client,
  changes: ListChangeRecorder,
  predicate: (tools: RawItem[]) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<RawItem[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = changes.count('tools');
    const tools = await rawTools(client);
    if (predicate(tools)) return tools;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out waiting until ${what}; tools: ${tools.map((tool) => tool.name).join(', ')}`);
    await changes.after('tools', seen, left).catch((error: Error) => {
      throw new Error(`${what}: ${error.message}; tools: ${tools.map((tool) => tool.name).join(', ')}`);
    });
  }
}

/**
 * Starts a daemon on `servers`, waits until their catalogs settle, and opens an aggregate session
 * over each transport into `aggregate`, with a recorder of its list changes into `changes`.
 */
export async function startWithAggregates(
  servers: Record<string, ServerConfig>,
  aggregate: Record<TransportKind, Client>,
  changes: Record<TransportKind, ListChangeRecorder>,
): Promise<Harness> {
  const harness = await startHarness(servers);
  await harness.runtime.registry.settled();
  for (const kind of TRANSPORT_KINDS) {
    aggregate[kind] = await harness.connectAggregate(kind);
    changes[kind] = recordListChanges(aggregate[kind], `aggregate over ${kind}`);
  }
  return harness;
}

/** Replaces a file the way editors do (write a temp file, rename it over), so no reader sees it half written. */
export async function replaceFile(path: string, text: string): Promise<void> {
  const temp = `${path}.test-${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

/** Resolves with the next reload result of `runtime`; rejects after `timeoutMs`. Subscribe before the change. */
export function nextReload(runtime: Runtime, timeoutMs = 15_000): Promise<ReloadResult> {
  return new Promise((resolve, reject) => {
    const timer = realSetTimeout(() => {
      dispose();
      reject(new Error(`waited ${timeoutMs} ms for a reload of ${runtime.configPath}`));
    }, timeoutMs);
    timer.unref();
    const dispose = runtime.hotReload.onDidReload((result) => {
      clearTimeout(timer);
      dispose();
      resolve(result);
    });
  });
}

/** Rewrites the config file on disk and resolves with the reload the watcher performs. */
export async function rewriteConfig(runtime: Runtime, config: unknown): Promise<ReloadResult> {
  const reloaded = nextReload(runtime);
  try {
    await replaceFile(runtime.configPath, typeof config === 'string' ? config : `${JSON.stringify(config, null, 2)}\n`);
  } catch (error) {
    reloaded.catch(() => undefined);
    throw error;
  }
  return reloaded;
}

/** The pid of each server that has a process now. */
export function pidsOf(runtime: Runtime): Record<string, number | undefined> {
  return Object.fromEntries(runtime.supervisor.list().map((server) => [server.name, server.status().pid]));
}
