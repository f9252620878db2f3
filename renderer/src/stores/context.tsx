/** The stores reach components through context, so tests and the app each bring their own. */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { Stores } from './stores';

const StoresContext = createContext<Stores | undefined>(undefined);

export function StoresProvider({ stores, children }: { stores: Stores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

export function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('useStores outside StoresProvider');
  return stores;
}

type StoreName = Exclude<keyof Stores, 'client'>;
type StateOf<Name extends StoreName> = Stores[Name] extends StoreApi<infer State> ? State : never;

/** A slice of one store; the component re-renders when the slice changes. */
export function useDomain<Name extends StoreName, Slice>(name: Name, selector: (state: StateOf<Name>) => Slice): Slice {
  const store = useStores()[name] as StoreApi<unknown>;
  return useStore(store, selector as (state: unknown) => Slice);
}
