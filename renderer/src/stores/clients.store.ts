/** The MCP clients on this machine: preview, connect (a key written into their file) and undo. */
import { createStore } from 'zustand/vanilla';
import type { OrchClient } from '@shared/api/client';
import type { ClientKind } from '@shared/client-config';
import type { Reporter } from './report';
import type { ClientFile, FileChange, LoadStatus } from './types';

export type ConnectScope = 'aggregate' | 'servers';

export interface ClientOutcome {
  kind: 'preview' | 'connected' | 'undone';
  change?: FileChange;
  backupPath?: string;
  keyName?: string;
  message?: string;
}

export interface ClientsState {
  status: LoadStatus;
  error?: string;
  clients: ClientFile[];
  outcomes: Partial<Record<ClientKind, ClientOutcome>>;
  errors: Partial<Record<ClientKind, string>>;
  pending: Partial<Record<ClientKind, boolean>>;
  load(): Promise<void>;
  preview(client: ClientKind, scope: ConnectScope): Promise<void>;
  connect(client: ClientKind, scope: ConnectScope): Promise<boolean>;
  undo(client: ClientKind): Promise<boolean>;
}

export function createClientsStore(client: OrchClient, report: Reporter) {
  const step = async (
    set: (fn: (state: ClientsState) => Partial<ClientsState>) => void,
    kind: ClientKind,
    work: () => Promise<ClientOutcome>,
  ): Promise<boolean> => {
    set((state) => ({ pending: { ...state.pending, [kind]: true }, errors: { ...state.errors, [kind]: undefined } }));
    try {
      const outcome = await work();
      set((state) => ({ outcomes: { ...state.outcomes, [kind]: outcome } }));
      return true;
    } catch (error) {
      const message = report(error);
      set((state) => ({ errors: { ...state.errors, [kind]: message } }));
      return false;
    } finally {
      set((state) => ({ pending: { ...state.pending, [kind]: false } }));
    }
  };

  return createStore<ClientsState>()((set, get) => ({
    status: 'idle',
    clients: [],
    outcomes: {},
    errors: {},
    pending: {},
    async load() {
      if (get().status !== 'ready') set({ status: 'loading' });
      try {
        const { clients } = await client.clients.list();
        set({ status: 'ready', error: undefined, clients });
      } catch (error) {
        set({ status: 'error', error: report(error) });
      }
    },
    preview: async (kind, scope) => {
      await step(set, kind, async () => ({ kind: 'preview', change: await client.clients.preview({ client: kind, scope }) }));
    },
    connect: async (kind, scope) => {
      const ok = await step(set, kind, async () => {
        const result = await client.clients.connect({ client: kind, scope });
        return { kind: 'connected', change: result, backupPath: result.backupPath, keyName: result.key.name };
      });
      await get().load();
      return ok;
    },
    undo: async (kind) => {
      const ok = await step(set, kind, async () => {
        const result = await client.clients.undo({ client: kind });
        return { kind: 'undone', message: `${result.restored === 'backup' ? 'Restored' : 'Removed'} ${result.path}; key revoked.` };
      });
      await get().load();
      return ok;
    },
  }));
}

export type ClientsStore = ReturnType<typeof createClientsStore>;
