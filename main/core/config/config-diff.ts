/**
 * What changed between two configurations, in the terms hot reload acts on (docs/specification.md §2): servers to
 * start, stop, restart, or only to update, and the orch settings that changed.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ResolvedConfig, ResolvedOrch, ResolvedServer } from './config-loader.js';

export interface ConfigDiff {
  added: ResolvedServer[];
  removed: string[];
  /** Changed in a way that needs a new process (command, args, env, url…). */
  restarted: ResolvedServer[];
  /** Changed only in settings read per call (timeout, autoApprove). */
  updated: ResolvedServer[];
  enabled: ResolvedServer[];
  disabled: ResolvedServer[];
  /** `orch` keys whose value changed. */
  orch: (keyof ResolvedOrch)[];
}

/** The fields that define the process or connection: changing one means a restart. */
const RUN_FIELDS: (keyof ResolvedServer)[] = [
  'transport',
  'command',
  'args',
  'env',
  'cwd',
  'url',
  'headers',
  'sessionMode',
  'protocol',
  'oauth',
];

export function diffConfigs(previous: ResolvedConfig, next: ResolvedConfig): ConfigDiff {
  const before = new Map(previous.servers.map((server) => [server.name, server]));
  const after = new Map(next.servers.map((server) => [server.name, server]));
  const diff: ConfigDiff = { added: [], removed: [], restarted: [], updated: [], enabled: [], disabled: [], orch: [] };
  for (const [name, server] of after) {
    const old = before.get(name);
    if (!old) diff.added.push(server);
    else if (old.disabled !== server.disabled) (server.disabled ? diff.disabled : diff.enabled).push(server);
    else if (RUN_FIELDS.some((field) => !isDeepStrictEqual(old[field], server[field]))) diff.restarted.push(server);
    else if (!isDeepStrictEqual(old, server)) diff.updated.push(server);
  }
  for (const name of before.keys()) if (!after.has(name)) diff.removed.push(name);
  // Keys of both: a setting removed (say, orch.planner) changed too.
  for (const key of new Set([...Object.keys(previous.orch), ...Object.keys(next.orch)]) as Set<keyof ResolvedOrch>) {
    if (!isDeepStrictEqual(previous.orch[key], next.orch[key])) diff.orch.push(key);
  }
  return diff;
}

/** Whether a diff changes anything at all. */
export function isEmptyDiff(diff: ConfigDiff): boolean {
  return Object.values(diff).every((list: unknown[]) => list.length === 0);
}
