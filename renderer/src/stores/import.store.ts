/** Import: servers found in other clients' configs, chosen, renamed on a clash, previewed, merged. */
import { createStore } from 'zustand/vanilla';
import type { OrchClient } from '@shared/api/client';
import type { ClientKind } from '@shared/client-config';
import type { Reporter } from './report';
import type { ImportResult, ImportSource, LoadStatus } from './types';

export interface ImportChoice {
  client: ClientKind;
  name: string;
  as?: string;
}

export const choiceKey = (client: ClientKind, name: string): string => `${client}\u0000${name}`;

export interface ImportState {
  status: LoadStatus;
  error?: string;
  sources: ImportSource[];
  /** Chosen servers by `choiceKey`, with the name they get. */
  chosen: Record<string, ImportChoice | undefined>;
  preview?: ImportResult;
  result?: ImportResult;
  applyError?: string;
  busy: boolean;
  scan(): Promise<void>;
  toggle(client: ClientKind, name: string, on: boolean): void;
  rename(client: ClientKind, name: string, as: string): void;
  run(dryRun: boolean): Promise<boolean>;
}

export function createImportStore(client: OrchClient, report: Reporter) {
  return createStore<ImportState>()((set, get) => ({
    status: 'idle',
    sources: [],
    chosen: {},
    busy: false,
    async scan() {
      set({ status: 'loading' });
      try {
        const { sources } = await client.import.scan();
        set({ status: 'ready', error: undefined, sources, preview: undefined });
      } catch (error) {
        set({ status: 'error', error: report(error) });
      }
    },
    toggle(kind, name, on) {
      set((state) => ({
        chosen: { ...state.chosen, [choiceKey(kind, name)]: on ? { client: kind, name } : undefined },
        preview: undefined,
      }));
    },
    rename(kind, name, as) {
      const key = choiceKey(kind, name);
      set((state) => ({
        chosen: { ...state.chosen, [key]: { client: kind, name, ...(as && as !== name ? { as } : {}) } },
        preview: undefined,
      }));
    },
    async run(dryRun) {
      const servers = Object.values(get().chosen).filter((choice): choice is ImportChoice => choice !== undefined);
      if (servers.length === 0) return false;
      set({ busy: true, applyError: undefined });
      try {
        const result = await client.import.apply({ servers, dryRun });
        if (dryRun) set({ preview: result });
        else {
          set({ result, preview: undefined, chosen: {} });
          await get().scan();
        }
        return true;
      } catch (error) {
        set({ applyError: report(error) });
        return false;
      } finally {
        set({ busy: false });
      }
    },
  }));
}

export type ImportStore = ReturnType<typeof createImportStore>;
