/** The catalog across servers, per-tool switches, "try it" calls and the recent ones to run again. */
import { createStore } from 'zustand/vanilla';
import type { OrchClient } from '@shared/api/client';
import type { Reporter } from './report';
import type { LoadStatus, ToolCallResult, ToolItem } from './types';

export interface RecentCall {
  id: number;
  server: string;
  tool: string;
  arguments: Record<string, unknown>;
  time: number;
  result?: ToolCallResult;
  error?: string;
}

/** Recent calls kept in the page. */
export const MAX_RECENT = 20;

export interface ToolsState {
  status: LoadStatus;
  error?: string;
  tools: ToolItem[];
  /** Lower-cased `server tool title description`, parallel to `tools`, for a fast filter. */
  haystack: string[];
  pending: Record<string, boolean | undefined>;
  recent: RecentCall[];
  load(): Promise<void>;
  setEnabled(server: string, tool: string, enabled: boolean): Promise<void>;
  call(server: string, tool: string, args: Record<string, unknown>): Promise<RecentCall>;
}

export const toolKey = (server: string, tool: string): string => `${server}\u0000${tool}`;

/** The tools whose text contains every word of `query`, of `server` when given. */
export function filterTools(state: Pick<ToolsState, 'tools' | 'haystack'>, query: string, server?: string): ToolItem[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const out: ToolItem[] = [];
  for (let index = 0; index < state.tools.length; index++) {
    const tool = state.tools[index]!;
    if (server && tool.server !== server) continue;
    const text = state.haystack[index]!;
    if (words.every((word) => text.includes(word))) out.push(tool);
  }
  return out;
}

export function createToolsStore(client: OrchClient, report: Reporter) {
  let nextId = 1;
  return createStore<ToolsState>()((set, get) => ({
    status: 'idle',
    tools: [],
    haystack: [],
    pending: {},
    recent: [],
    async load() {
      if (get().status !== 'ready') set({ status: 'loading' });
      try {
        const { tools } = await client.tools.list();
        tools.sort((a, b) => a.server.localeCompare(b.server) || a.name.localeCompare(b.name));
        const haystack = tools.map((tool) => `${tool.server} ${tool.name} ${tool.title ?? ''} ${tool.description ?? ''}`.toLowerCase());
        set({ status: 'ready', error: undefined, tools, haystack });
      } catch (error) {
        set({ status: 'error', error: report(error) });
      }
    },
    async setEnabled(server, tool, enabled) {
      const key = toolKey(server, tool);
      set((state) => ({ pending: { ...state.pending, [key]: true } }));
      try {
        if (enabled) await client.tools.enable({ server, tool });
        else await client.tools.disable({ server, tool });
        set((state) => ({
          tools: state.tools.map((item) => (item.server === server && item.name === tool ? { ...item, enabled } : item)),
        }));
      } catch (error) {
        throw new Error(report(error));
      } finally {
        set((state) => ({ pending: { ...state.pending, [key]: undefined } }));
      }
    },
    async call(server, tool, args) {
      const entry: RecentCall = { id: nextId++, server, tool, arguments: args, time: Date.now() };
      try {
        entry.result = await client.tools.call({ server, tool, arguments: args });
      } catch (error) {
        entry.error = report(error);
      }
      set((state) => ({ recent: [entry, ...state.recent].slice(0, MAX_RECENT) }));
      return entry;
    },
  }));
}

export type ToolsStore = ReturnType<typeof createToolsStore>;
