/** Waiting on a server's state: until its start attempt settled, or until it can take requests. */
import type { Event } from '../events/emitter.js';
import type { ServerState, StateChange } from './server-status.js';

/** States a request may wait through: the server is on its way up. */
const WAITING_STATES: ReadonlySet<ServerState> = new Set(['starting', 'crashed', 'backoff']);

/** Resolves once the state is no longer `starting`. */
export function settled(onDidChangeState: Event<StateChange>, state: () => ServerState): Promise<void> {
  return new Promise((resolve) => {
    if (state() !== 'starting') return resolve();
    const dispose = onDidChangeState(({ status }) => {
      if (status.state === 'starting') return;
      dispose();
      resolve();
    });
  });
}

export interface RouterWatch {
  hasRouter(): boolean;
  state(): ServerState;
  /** The server's state in words, for the reason a request cannot wait. */
  describe(): string;
}

/** Resolves undefined once the server can take requests; else the reason in words, at once or after `timeoutMs`. */
export function routerReady(onDidChangeState: Event<StateChange>, watch: RouterWatch, timeoutMs: number): Promise<string | undefined> {
  if (watch.hasRouter()) return Promise.resolve(undefined);
  if (!WAITING_STATES.has(watch.state())) return Promise.resolve(watch.describe());
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      dispose();
      resolve(`${watch.describe()} (waited ${Math.round(timeoutMs / 1000)} s)`);
    }, timeoutMs);
    const dispose = onDidChangeState(({ status }) => {
      if (watch.hasRouter()) {
        clearTimeout(timer);
        dispose();
        resolve(undefined);
      } else if (!WAITING_STATES.has(status.state)) {
        clearTimeout(timer);
        dispose();
        resolve(watch.describe());
      }
    });
  });
}
