/**
 * Whether the daemon is there: the live event stream's status, and what failed calls said. The
 * banner reads it; when the stream comes back after a drop, the other stores reload.
 */
import { createStore } from 'zustand/vanilla';
import type { ConnectionStatus } from '@shared/api/transport';
import { isUnauthorized, isUnreachable, messageOf, type Reporter } from './report';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Set once the daemon has been reached (the stream opened, or the page's data loaded): before that, "connecting" is not "lost". */
  everOpen: boolean;
  /** A call found nobody answering. */
  unreachable: boolean;
  /** The token was refused: the page needs another. */
  unauthorized?: string;
  setStatus(status: ConnectionStatus): void;
  /** The daemon answered (the page's data loaded), whether or not the stream has opened yet. */
  markReached(): void;
  report: Reporter;
  clearUnauthorized(): void;
}

export function createConnectionStore() {
  return createStore<ConnectionState>()((set, get) => ({
    status: 'connecting',
    everOpen: false,
    unreachable: false,
    setStatus: (status) => set({ status, ...(status === 'open' ? { everOpen: true, unreachable: false } : {}) }),
    markReached: () => {
      if (!get().everOpen) set({ everOpen: true });
    },
    report: (error) => {
      if (isUnreachable(error)) set({ unreachable: true });
      else if (isUnauthorized(error)) set({ unauthorized: messageOf(error) });
      return messageOf(error);
    },
    clearUnauthorized: () => {
      if (get().unauthorized !== undefined) set({ unauthorized: undefined });
    },
  }));
}

export type ConnectionStore = ReturnType<typeof createConnectionStore>;

/** Whether the "daemon went away" banner shows. */
export function isLost(state: Pick<ConnectionState, 'status' | 'everOpen' | 'unreachable'>): boolean {
  return state.unreachable || (state.everOpen && state.status !== 'open');
}

/** Whether the "starting" banner shows: the desktop app's core is still starting. */
export function isStarting(state: Pick<ConnectionState, 'status'>): boolean {
  return state.status === 'starting';
}
