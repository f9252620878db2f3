/**
 * What the tray shows, kept up to date from the operations layer: the servers and their states,
 * the mode, the config file's problems. Loaded once when the core is up, then followed through
 * the live events, the same ones the dashboard gets.
 */
import type { OrchEvent } from '../../shared/api/events.js';
import type { OperationId } from '../../shared/api/operations.js';
import { type Principal, Emitter } from '../core/shell-surface.js';
import type { Dispatcher } from '../core/operations/dispatcher.js';
import type { Mode, TrayState } from './tray-menu.js';

type ServerEntry = TrayState['servers'][number];

/** The fields of a server status the tray keeps. */
function entryOf(status: {
  name: string;
  state: ServerEntry['state'];
  restarts: number;
  lastError?: string | undefined;
  retryInMs?: number | undefined;
  signIn?: { problem?: string | undefined; pending: boolean } | undefined;
}): ServerEntry {
  return {
    name: status.name,
    state: status.state,
    restarts: status.restarts,
    ...(status.lastError !== undefined ? { lastError: status.lastError } : {}),
    ...(status.retryInMs !== undefined ? { retryInMs: status.retryInMs } : {}),
    // A remote server's sign-in: its problem is what puts "Sign in to …" in the menu.
    ...(status.signIn ? { signIn: { problem: status.signIn.problem, pending: status.signIn.pending } } : {}),
  };
}

export class TrayModel {
  private state: TrayState;
  private readonly emitter = new Emitter<TrayState>();

  /** Fires with the new state after every change. */
  readonly onDidChange = this.emitter.event;

  constructor(initial: Pick<TrayState, 'openAtLogin'> & { mode?: Mode | undefined }) {
    this.state = { phase: 'starting', mode: initial.mode, servers: [], configIssues: [], openAtLogin: initial.openAtLogin };
  }

  get current(): TrayState {
    return this.state;
  }

  update(patch: Partial<TrayState>): void {
    this.state = { ...this.state, ...patch };
    this.emitter.fire(this.state);
  }

  /**
   * Loads the state from `dispatcher` and follows its events until the returned function is
   * called. A failed load is reported to `onError` and leaves what the tray had.
   */
  async follow(dispatcher: Dispatcher, principal: Principal, onError: (message: string) => void): Promise<() => void> {
    const call = async <T>(id: OperationId, input: object = {}): Promise<T | undefined> => {
      const result = await dispatcher.dispatch(id, input, principal);
      if (result.ok) return result.value as T;
      onError(`${id}: ${result.error.message}`);
      return undefined;
    };
    const loadServers = async (): Promise<void> => {
      const listed = await call<{ servers: Parameters<typeof entryOf>[0][] }>('servers.list');
      if (listed) this.update({ servers: listed.servers.map(entryOf) });
    };
    const loadMode = async (): Promise<void> => {
      const answered = await call<{ mode: Mode }>('mode.get');
      if (answered) this.update({ mode: answered.mode });
    };
    const onEvent = (event: OrchEvent): void => {
      if (event.type === 'server.state') {
        const entry = entryOf(event.status);
        const known = this.state.servers.some((server) => server.name === entry.name);
        this.update({
          servers: known
            ? this.state.servers.map((server) => (server.name === entry.name ? entry : server))
            : [...this.state.servers, entry],
        });
      } else if (event.type === 'config.reload') {
        this.update({ configIssues: event.ok ? [] : (event.issues ?? []) });
        if (event.ok && event.diff) {
          if (event.diff.added.length > 0 || event.diff.removed.length > 0) void loadServers();
          if (event.diff.orch.includes('mode')) void loadMode();
        }
      }
    };
    const subscribed = dispatcher.subscribe(principal, onEvent);
    if (!subscribed.ok) onError(`events: ${subscribed.error.message}`);
    await Promise.all([loadServers(), loadMode()]);
    const config = await call<{ lastReload: { ok: boolean; issues?: { path: string; message: string }[] } }>('config.get');
    if (config && !config.lastReload.ok) this.update({ configIssues: config.lastReload.issues ?? [] });
    return subscribed.ok ? subscribed.value : () => undefined;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
