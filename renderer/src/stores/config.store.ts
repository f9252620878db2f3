/**
 * mcp-config.json as the editor holds it: the saved text and its revision, the draft the form and
 * the raw editor both change, the draft's problems at JSON paths, and the outcome of applying it.
 */
import { createStore } from 'zustand/vanilla';
import type { OrchClient } from '@shared/api/client';
import type { Reporter } from './report';
import type { ConfigState, EventOf, Issue, LoadStatus } from './types';

export interface ApplyOutcome {
  ok: boolean;
  issues: Issue[];
  message: string;
}

export interface ConfigStoreState {
  status: LoadStatus;
  error?: string;
  saved?: ConfigState;
  draft: string;
  /** Problems of the draft: from the last validation, or a refused apply. */
  issues: Issue[];
  validated: boolean;
  busy: boolean;
  /** The file changed on disk since the draft was started. */
  changedOnDisk: boolean;
  load(): Promise<void>;
  setDraft(text: string): void;
  validate(): Promise<boolean>;
  apply(): Promise<ApplyOutcome>;
  applyReload(event: EventOf<'config.reload'>): void;
}

/** Issues of an error's `details.issues`, when it has them. */
function issuesOf(details: unknown): Issue[] {
  const issues = (details as { issues?: unknown } | undefined)?.issues;
  return Array.isArray(issues) ? (issues as Issue[]) : [];
}

export function createConfigStore(client: OrchClient, report: Reporter) {
  return createStore<ConfigStoreState>()((set, get) => ({
    status: 'idle',
    draft: '',
    issues: [],
    validated: false,
    busy: false,
    changedOnDisk: false,
    async load() {
      set({ status: get().saved ? 'ready' : 'loading' });
      try {
        const saved = await client.config.get();
        set({ status: 'ready', error: undefined, saved, draft: saved.text, issues: saved.issues, validated: false, changedOnDisk: false });
      } catch (error) {
        set({ status: 'error', error: report(error) });
      }
    },
    setDraft(text) {
      set({ draft: text, validated: false });
    },
    async validate() {
      set({ busy: true });
      try {
        const { valid, issues } = await client.config.validate({ text: get().draft });
        set({ issues, validated: valid });
        return valid;
      } catch (error) {
        set({ issues: [{ path: '(file)', message: report(error) }] });
        return false;
      } finally {
        set({ busy: false });
      }
    },
    async apply() {
      const saved = get().saved;
      set({ busy: true });
      try {
        const result = await client.config.put({ text: get().draft, ...(saved ? { revision: saved.revision } : {}) });
        await get().load();
        const diff = result.reload.diff;
        const changed = diff
          ? [
              ...diff.added.map((n) => `added ${n}`),
              ...diff.removed.map((n) => `removed ${n}`),
              ...diff.restarted.map((n) => `restarted ${n}`),
              ...diff.updated.map((n) => `updated ${n}`),
            ]
          : [];
        const restart = result.reload.needsRestart?.length ? `; restart MCP Orch for ${result.reload.needsRestart.join(', ')}` : '';
        return {
          ok: result.reload.ok,
          issues: result.reload.issues ?? [],
          message: `Saved and applied${changed.length ? `: ${changed.join(', ')}` : ''}${restart}`,
        };
      } catch (error) {
        const message = report(error);
        const issues = issuesOf((error as { details?: unknown }).details);
        set({ issues, validated: false });
        return { ok: false, issues, message };
      } finally {
        set({ busy: false });
      }
    },
    applyReload(event) {
      const saved = get().saved;
      if (!saved) return;
      // A change made elsewhere (an editor, the CLI): an untouched draft follows it, an edited one is told.
      if (get().draft === saved.text) void get().load();
      else if (event.ok) set({ changedOnDisk: true });
    },
  }));
}

export type ConfigStore = ReturnType<typeof createConfigStore>;
