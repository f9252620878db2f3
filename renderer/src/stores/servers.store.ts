/** The servers: their status, details, live logs, child CPU and memory, and lifecycle actions. */
import { createStore } from 'zustand/vanilla';
import type { OrchClient } from '@shared/api/client';
import type { Reporter } from './report';
import type { EventOf, Issue, LoadStatus, LogEntry, ProcessSample, ServerDetail, ServerSummary, SignInStart } from './types';

export type ServerAction = 'start' | 'stop' | 'restart' | 'enable' | 'disable' | 'signOut';

/** A sign-in link the page shows while the browser signs in. */
export type SignInLink = Extract<SignInStart, { status: 'redirect' }>;

/** Log lines kept per server in the page. */
export const MAX_LOG_LINES = 2_000;

export interface ServersState {
  status: LoadStatus;
  error?: string;
  servers: ServerSummary[];
  details: Record<string, ServerDetail | undefined>;
  detailErrors: Record<string, string | undefined>;
  resources: Record<string, ProcessSample | undefined>;
  /** The action running on each server, while it runs. */
  pending: Record<string, ServerAction | undefined>;
  /** Problems of the config file the daemon refused last; empty once one is applied. */
  configIssues: Issue[];
  logs: Record<string, LogEntry[] | undefined>;
  /** The authorization link of the last sign-in started from this page, per server. */
  signInLinks: Record<string, SignInLink | undefined>;
  load(): Promise<void>;
  loadDetail(name: string): Promise<void>;
  loadLogs(name: string): Promise<void>;
  act(name: string, action: ServerAction): Promise<boolean>;
  /** Starts a sign-in (the daemon opens the browser); the answer's link is kept for the page. */
  signIn(name: string): Promise<SignInStart>;
  applyState(event: EventOf<'server.state'>): void;
  applyResources(samples: readonly ProcessSample[]): void;
  appendLog(event: EventOf<'server.log'>): void;
  clearLogs(name: string): void;
  setConfigIssues(issues: Issue[]): void;
}

export function createServersStore(client: OrchClient, report: Reporter) {
  return createStore<ServersState>()((set, get) => ({
    status: 'idle',
    servers: [],
    details: {},
    detailErrors: {},
    resources: {},
    pending: {},
    configIssues: [],
    logs: {},
    signInLinks: {},
    async load() {
      if (get().status !== 'ready') set({ status: 'loading' });
      try {
        // The list makes the page usable; CPU and memory (a sample of every process) fill in when they come.
        const usage = client.metrics.processes().catch(() => undefined);
        const { servers } = await client.servers.list();
        set({ status: 'ready', error: undefined, servers });
        const samples = (await usage)?.samples;
        if (samples) get().applyResources(samples);
      } catch (error) {
        set({ status: 'error', error: report(error) });
      }
    },
    async loadDetail(name) {
      try {
        const detail = await client.servers.status({ name });
        set((state) => ({ details: { ...state.details, [name]: detail }, detailErrors: { ...state.detailErrors, [name]: undefined } }));
      } catch (error) {
        set((state) => ({ detailErrors: { ...state.detailErrors, [name]: report(error) } }));
      }
    },
    async loadLogs(name) {
      try {
        const { entries } = await client.servers.logs({ name, limit: 500 });
        set((state) => ({ logs: { ...state.logs, [name]: entries } }));
      } catch (error) {
        report(error);
      }
    },
    async act(name, action) {
      set((state) => ({ pending: { ...state.pending, [name]: action } }));
      try {
        const summary = await client.servers[action]({ name });
        set((state) => ({ servers: state.servers.map((server) => (server.name === name ? summary : server)) }));
        await get().loadDetail(name);
        return true;
      } catch (error) {
        throw new Error(report(error));
      } finally {
        set((state) => ({ pending: { ...state.pending, [name]: undefined } }));
      }
    },
    async signIn(name) {
      set((state) => ({ signInLinks: { ...state.signInLinks, [name]: undefined } }));
      try {
        const result = await client.servers.signIn({ name, openBrowser: true });
        if (result.status === 'redirect') set((state) => ({ signInLinks: { ...state.signInLinks, [name]: result } }));
        return result;
      } catch (error) {
        throw new Error(report(error));
      }
    },
    applyState({ status }) {
      const known = get().servers.some((server) => server.name === status.name);
      // A server this page has not seen (added by a reload): fetch the list again for its endpoints.
      if (!known) {
        void get().load();
        return;
      }
      set((state) => ({
        servers: state.servers.map((server) =>
          server.name === status.name
            ? {
                ...server,
                ...status,
                pid: status.pid,
                startedAt: status.startedAt,
                lastError: status.lastError,
                retryInMs: status.retryInMs,
              }
            : server,
        ),
        details: state.details[status.name]
          ? { ...state.details, [status.name]: { ...state.details[status.name]!, ...status } }
          : state.details,
        resources: status.state === 'running' ? state.resources : { ...state.resources, [status.name]: undefined },
      }));
    },
    applyResources(samples) {
      set({ resources: Object.fromEntries(samples.map((sample) => [sample.server, sample])) });
    },
    appendLog({ server, entry }) {
      const current = get().logs[server];
      if (!current) return; // Not watched: the detail page loads the tail when it opens.
      const next = current.length >= MAX_LOG_LINES ? [...current.slice(current.length - MAX_LOG_LINES + 1), entry] : [...current, entry];
      set((state) => ({ logs: { ...state.logs, [server]: next } }));
    },
    clearLogs(name) {
      set((state) => ({ logs: { ...state.logs, [name]: [] } }));
    },
    setConfigIssues(issues) {
      set({ configIssues: issues });
    },
  }));
}

export type ServersStore = ReturnType<typeof createServersStore>;
