/**
 * A server's health as people read it: a level, a reason in words and at most one next action.
 * The same object drives the dashboard's cards and the tray's icon and menu. Runtime-neutral.
 */
import type { SERVER_STATES } from './api/operations/servers.js';

/** `ok` running well; `busy` on its way up; `warn` works but needs a look; `error` does not work; `off` stopped on purpose. */
export type HealthLevel = 'ok' | 'busy' | 'warn' | 'error' | 'off';

/** What to do about it: the one action that most likely helps. */
export type HealthAction =
  | { kind: 'start' | 'enable' | 'restart' | 'viewLogs' | 'fixConfig' | 'signIn'; label: string }
  | { kind: 'setVariable'; label: string; variable: string };

export interface Health {
  level: HealthLevel;
  reason: string;
  action?: HealthAction;
}

/** What health is read from: the server's status and the config problems that name it. */
export interface HealthInput {
  name: string;
  state: (typeof SERVER_STATES)[number];
  restarts: number;
  lastError?: string | undefined;
  retryInMs?: number | undefined;
  /** A remote server's sign-in: `problem` says why one is needed now. */
  signIn?: { problem?: string | undefined; pending?: boolean } | undefined;
  /** Problems of the config file on disk (the last reload that failed), at JSON paths. */
  configIssues?: readonly { path: string; message: string }[];
}

const SIGN_IN: HealthAction = { kind: 'signIn', label: 'Sign in' };

const MISSING_VARIABLE = /environment variable (\S+) is not set/;

/** The problems of a config file that concern server `name` (`mcpServers.<name>…`). */
export function issuesOf(name: string, issues: readonly { path: string; message: string }[]): { path: string; message: string }[] {
  const prefixes = [`mcpServers.${name}`, `mcpServers["${name}"]`];
  return issues.filter((issue) =>
    prefixes.some((prefix) => issue.path === prefix || issue.path.startsWith(`${prefix}.`) || issue.path.startsWith(`${prefix}[`)),
  );
}

/** The next action for a config problem: set the variable it names, else fix the file. */
function configAction(issue: { message: string }): HealthAction {
  const variable = MISSING_VARIABLE.exec(issue.message)?.[1];
  return variable ? { kind: 'setVariable', label: `Set ${variable}`, variable } : { kind: 'fixConfig', label: 'Fix the config' };
}

export function serverHealth(server: HealthInput): Health {
  const issue = issuesOf(server.name, server.configIssues ?? [])[0];
  const error = server.lastError;
  switch (server.state) {
    case 'disabled':
      return { level: 'off', reason: 'disabled in the config', action: { kind: 'enable', label: 'Enable' } };
    case 'stopped':
      return { level: 'off', reason: 'stopped', action: { kind: 'start', label: 'Start' } };
    case 'starting':
      return { level: 'busy', reason: server.restarts > 0 ? `restarting after ${plural(server.restarts, 'crash')}` : 'starting' };
    case 'crashed':
    case 'backoff': {
      const retry = server.retryInMs !== undefined ? `; retrying in ${Math.ceil(server.retryInMs / 1000)} s` : '';
      return { level: 'warn', reason: `${error ?? 'crashed'}${retry}`, action: { kind: 'viewLogs', label: 'View logs' } };
    }
    case 'failed':
      if (issue) return { level: 'error', reason: `${issue.path}: ${issue.message}`, action: configAction(issue) };
      if (error && /command not found|not found|no such file|does not exist/.test(error)) {
        return { level: 'error', reason: error, action: { kind: 'fixConfig', label: 'Fix the command' } };
      }
      return { level: 'error', reason: error ?? 'failed', action: { kind: 'viewLogs', label: 'View logs' } };
    case 'needs-sign-in':
      return {
        level: 'warn',
        reason: server.signIn?.pending ? 'waiting for the sign-in to finish in the browser' : (error ?? 'needs sign-in'),
        action: SIGN_IN,
      };
    case 'running':
      if (server.signIn?.problem) return { level: 'warn', reason: server.signIn.problem, action: SIGN_IN };
      if (issue)
        return {
          level: 'warn',
          reason: `a change to the config was not applied: ${issue.path}: ${issue.message}`,
          action: configAction(issue),
        };
      if (server.restarts > 0)
        return {
          level: 'warn',
          reason: `running, after ${plural(server.restarts, 'crash')}`,
          action: { kind: 'viewLogs', label: 'View logs' },
        };
      return { level: 'ok', reason: 'running' };
  }
}

/** The worst level of several servers (the tray icon): error, then warn, busy, ok; off only when all are. */
export function overallLevel(levels: readonly HealthLevel[]): HealthLevel {
  for (const level of ['error', 'warn', 'busy', 'ok'] as const) if (levels.includes(level)) return level;
  return 'off';
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 'es'}`;
}
