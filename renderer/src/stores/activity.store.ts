/** The call log and the audit log, filtered and paged (newest first, "older" follows the cursor). */
import { createStore } from 'zustand/vanilla';
import type { OrchClient } from '@shared/api/client';
import type { Reporter } from './report';
import type { AuditRecord, CallRecord, LoadStatus } from './types';

export interface CallFilters {
  server?: string;
  tool?: string;
  client?: string;
  ok?: boolean;
  /** Only calls newer than this many milliseconds. */
  withinMs?: number;
}

export interface AuditFilters {
  keyName?: string;
  action?: string;
  outcome?: 'ok' | 'error' | 'denied';
  withinMs?: number;
}

interface Paged<Item, Filters> {
  status: LoadStatus;
  error?: string;
  items: Item[];
  filters: Filters;
  /** Cursors of the pages before this one; empty on the newest page. */
  previous: (string | undefined)[];
  cursor?: string;
  nextCursor?: string;
}

export interface ActivityState {
  calls: Paged<CallRecord, CallFilters>;
  audit: Paged<AuditRecord, AuditFilters>;
  /** Calls that arrived since the newest page was read. */
  newCalls: number;
  loadCalls(filters?: CallFilters, page?: 'first' | 'older' | 'newer'): Promise<void>;
  loadAudit(filters?: AuditFilters, page?: 'first' | 'older' | 'newer'): Promise<void>;
  noteCall(): void;
}

export const PAGE_SIZE = 50;

const empty = <Item, Filters>(filters: Filters): Paged<Item, Filters> => ({ status: 'idle', items: [], filters, previous: [] });

/** Where the page to read starts, and the stack of earlier cursors after the move. */
function move<Item, Filters>(paged: Paged<Item, Filters>, page: 'first' | 'older' | 'newer') {
  if (page === 'older') return { cursor: paged.nextCursor, previous: [...paged.previous, paged.cursor] };
  if (page === 'newer') return { cursor: paged.previous.at(-1), previous: paged.previous.slice(0, -1) };
  return { cursor: undefined, previous: [] as (string | undefined)[] };
}

export function createActivityStore(client: OrchClient, report: Reporter, now: () => number = Date.now) {
  return createStore<ActivityState>()((set, get) => ({
    calls: empty({}),
    audit: empty({}),
    newCalls: 0,
    async loadCalls(filters = get().calls.filters, page = 'first') {
      const { cursor, previous } = move(get().calls, page);
      set((state) => ({ calls: { ...state.calls, status: 'loading', filters } }));
      try {
        const result = await client.calls.list({
          limit: PAGE_SIZE,
          ...(filters.server ? { server: filters.server } : {}),
          ...(filters.tool ? { tool: filters.tool } : {}),
          ...(filters.ok !== undefined ? { ok: filters.ok } : {}),
          ...(filters.withinMs ? { since: now() - filters.withinMs } : {}),
          ...(cursor ? { before: cursor } : {}),
        });
        const items = filters.client
          ? result.items.filter((call) => (call.client ?? '').toLowerCase().includes(filters.client!.toLowerCase()))
          : result.items;
        set({
          calls: { status: 'ready', items, filters, cursor, previous, nextCursor: result.nextCursor },
          ...(previous.length === 0 ? { newCalls: 0 } : {}),
        });
      } catch (error) {
        set((state) => ({ calls: { ...state.calls, status: 'error', error: report(error) } }));
      }
    },
    async loadAudit(filters = get().audit.filters, page = 'first') {
      const { cursor, previous } = move(get().audit, page);
      set((state) => ({ audit: { ...state.audit, status: 'loading', filters } }));
      try {
        const result = await client.audit.list({
          limit: PAGE_SIZE,
          ...(filters.keyName ? { keyName: filters.keyName } : {}),
          ...(filters.action ? { action: filters.action } : {}),
          ...(filters.outcome ? { outcome: filters.outcome } : {}),
          ...(filters.withinMs ? { since: now() - filters.withinMs } : {}),
          ...(cursor ? { before: cursor } : {}),
        });
        set({ audit: { status: 'ready', items: result.items, filters, cursor, previous, nextCursor: result.nextCursor } });
      } catch (error) {
        set((state) => ({ audit: { ...state.audit, status: 'error', error: report(error) } }));
      }
    },
    noteCall() {
      set((state) => ({ newCalls: state.newCalls + 1 }));
    },
  }));
}

export type ActivityStore = ReturnType<typeof createActivityStore>;
