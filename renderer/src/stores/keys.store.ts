/** API keys (create shows the secret once; revoke; rotate) and the daemon's mode. */
import { createStore } from 'zustand/vanilla';
import type { InputOf, OrchClient } from '@shared/api/client';
import type { Reporter } from './report';
import type { KeyInfo, LoadStatus } from './types';

export type Mode = 'proxy' | 'batch';

export interface KeysState {
  status: LoadStatus;
  error?: string;
  keys: KeyInfo[];
  showAll: boolean;
  mode?: Mode;
  modePending: boolean;
  load(showAll?: boolean): Promise<void>;
  create(input: InputOf<'tokens.create'>): Promise<{ key: KeyInfo; secret: string }>;
  revoke(id: string): Promise<void>;
  rotate(id: string): Promise<{ key: KeyInfo; secret: string }>;
  loadMode(): Promise<void>;
  setMode(mode: Mode): Promise<void>;
  /** The mode changed elsewhere (the tray, the CLI, the config file): a live event says so. */
  applyMode(mode: Mode): void;
}

export function createKeysStore(client: OrchClient, report: Reporter) {
  const fail = (error: unknown): never => {
    throw new Error(report(error));
  };
  let modeLoad: Promise<void> | undefined;
  return createStore<KeysState>()((set, get) => ({
    status: 'idle',
    keys: [],
    showAll: false,
    modePending: false,
    async load(showAll = get().showAll) {
      set({ showAll, ...(get().status !== 'ready' ? { status: 'loading' as const } : {}) });
      try {
        const { tokens } = await client.tokens.list({ all: showAll });
        set({ status: 'ready', error: undefined, keys: tokens, showAll });
      } catch (error) {
        set({ status: 'error', error: report(error) });
      }
    },
    async create(input) {
      const created = await client.tokens.create(input).catch(fail);
      await get().load();
      return { key: created.token, secret: created.secret };
    },
    async revoke(id) {
      await client.tokens.revoke({ id }).catch(fail);
      await get().load();
    },
    async rotate(id) {
      const rotated = await client.tokens.rotate({ id }).catch(fail);
      await get().load();
      return { key: rotated.token, secret: rotated.secret };
    },
    loadMode() {
      // One question at a time: the first screen asks before React renders, the page asks again on mount.
      modeLoad ??= client.mode
        .get()
        .then(({ mode }) => set({ mode }))
        .catch((error: unknown) => void report(error))
        .finally(() => (modeLoad = undefined));
      return modeLoad;
    },
    applyMode(mode) {
      if (get().mode !== mode) set({ mode });
    },
    async setMode(mode) {
      set({ modePending: true });
      try {
        set({ mode: (await client.mode.set({ mode })).mode });
      } catch (error) {
        fail(error);
      } finally {
        set({ modePending: false });
      }
    },
  }));
}

export type KeysStore = ReturnType<typeof createKeysStore>;
