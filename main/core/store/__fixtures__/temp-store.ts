/** Test helper: stores in a fresh temp folder, all closed and deleted after each test. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { Store, type StoreOptions } from '../store.js';

export interface TempStores {
  /** A path inside this test's temp folder. */
  path(name?: string): string;
  /** Opens a store that is closed after the test. */
  open(name?: string, options?: StoreOptions): Store;
}

/** Registers the cleanup hook; call at the top of a test file. */
export function useTempStores(): TempStores {
  const dirs: string[] = [];
  const stores: Store[] = [];
  let dir: string | undefined;
  afterEach(() => {
    for (const store of stores.splice(0)) store.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    dir = undefined;
  });
  const path = (name = 'orch.db'): string => {
    if (!dir) {
      dir = mkdtempSync(join(tmpdir(), 'orch-store-'));
      dirs.push(dir);
    }
    return join(dir, name);
  };
  return {
    path,
    open(name, options) {
      const store = Store.open(path(name), options);
      stores.push(store);
      return store;
    },
  };
}
