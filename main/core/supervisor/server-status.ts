/** What a supervised server reports about itself: its state, its status, and its events' payloads. */
import type { SERVER_STATES } from '../../../shared/api/operations/servers.js';
import type { ResolvedServer } from '../config/config-loader.js';
import type { MessageChannel } from './channel.js';
import type { SignInStatus } from '../oauth/sign-ins.js';

/** `stopped → starting → running → (crashed → backoff → starting) | failed`, and `disabled`. */
export type ServerState = (typeof SERVER_STATES)[number];

export interface ServerStatus {
  name: string;
  state: ServerState;
  pid?: number | undefined;
  /** When the current process became `running` (ms epoch). */
  startedAt?: number | undefined;
  /** Restarts after crashes since the last manual start. */
  restarts: number;
  /** The last error in words: spawn error, exit code, handshake failure. */
  lastError?: string | undefined;
  exitCode?: number | null | undefined;
  signal?: string | null | undefined;
  /** Milliseconds until the next start, in `backoff`. */
  retryInMs?: number | undefined;
  /** A remote server's sign-in (OAuth), where it has one. */
  signIn?: SignInStatus | undefined;
}

export type { SignInStatus };

export interface StateChange {
  status: ServerStatus;
  previous: ServerState;
}

export type CatalogKind = 'tools' | 'resources' | 'prompts';

export interface ProcessEvent {
  server: string;
  pid: number;
  kind: 'spawned' | 'exited';
  command?: string | undefined;
}

/** Reports the child process of a run (a stdio server's): spawned now, exited when its channel closes. */
export function reportProcess(channel: MessageChannel, server: ResolvedServer, fire: (event: ProcessEvent) => void): void {
  const pid = channel.pid;
  if (pid === undefined) return;
  fire({ server: server.name, pid, kind: 'spawned', command: server.command });
  const previousOnClose = channel.onclose;
  channel.onclose = (info) => {
    fire({ server: server.name, pid, kind: 'exited' });
    previousOnClose?.(info);
  };
}
