/** Batch runs: the plan's dry run, the run followed live, cancel, and the history; plans and runs from a request (the LLM planner). */
import { createStore } from 'zustand/vanilla';
import type { OrchClient } from '@shared/api/client';
import type { BatchPlanInput as BatchPlan } from '@shared/batch-plan';
import type { Reporter } from './report';
import type { EventOf, LoadStatus, PlanPreview, Run, RunSummary } from './types';

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

export interface RunsState {
  historyStatus: LoadStatus;
  historyError?: string;
  history: RunSummary[];
  nextCursor?: string;
  preview?: PlanPreview;
  previewError?: string;
  /** The run on the graph: started here, or opened from the history. */
  current?: Run;
  currentError?: string;
  busy: boolean;
  loadHistory(more?: boolean): Promise<void>;
  dryRun(plan: BatchPlan): Promise<void>;
  start(plan: BatchPlan): Promise<void>;
  /** The LLM planner's plan for `request`, not run: the preview carries it (and how it was planned). */
  planRequest(request: string): Promise<void>;
  /** The LLM planner plans `request` and the run starts; `current` is the run once its plan is complete. */
  startRequest(request: string): Promise<void>;
  cancel(): Promise<void>;
  open(id: string): Promise<void>;
  applyProgress(event: EventOf<'run.progress'>): void;
}

/** What a run is made from: a plan, or a request for the planner. */
type RunSource = { plan: BatchPlan } | { request: string };

export function createRunsStore(client: OrchClient, report: Reporter) {
  return createStore<RunsState>()((set, get) => {
    const preview = async (source: RunSource): Promise<void> => {
      set({ busy: true, previewError: undefined });
      try {
        set({ preview: await client.runs.dryRun(source) });
      } catch (error) {
        set({ preview: undefined, previewError: report(error) });
      } finally {
        set({ busy: false });
      }
    };
    const start = async (source: RunSource): Promise<void> => {
      set({ busy: true, currentError: undefined });
      try {
        const run = await client.runs.create(source);
        set({ current: run });
        // Its progress events can arrive before this answer (a short run may even have ended): they
        // were not applied to a run the page did not have yet, so read it once more.
        if (!TERMINAL.has(run.status)) void get().open(run.id);
        void get().loadHistory();
      } catch (error) {
        set({ currentError: report(error) });
      } finally {
        set({ busy: false });
      }
    };
    return {
      historyStatus: 'idle',
      history: [],
      busy: false,
      async loadHistory(more = false) {
        if (!more && get().historyStatus !== 'ready') set({ historyStatus: 'loading' });
        try {
          const page = await client.runs.list({ limit: 25, ...(more && get().nextCursor ? { before: get().nextCursor } : {}) });
          set((state) => ({
            historyStatus: 'ready',
            historyError: undefined,
            history: more ? [...state.history, ...page.items] : page.items,
            nextCursor: page.nextCursor,
          }));
        } catch (error) {
          set({ historyStatus: 'error', historyError: report(error) });
        }
      },
      dryRun: (plan) => preview({ plan }),
      start: (plan) => start({ plan }),
      planRequest: (request) => preview({ request }),
      startRequest: (request) => start({ request }),
      async cancel() {
        const current = get().current;
        if (!current) return;
        try {
          set({ current: await client.runs.cancel({ id: current.id }) });
        } catch (error) {
          set({ currentError: report(error) });
        }
      },
      async open(id) {
        try {
          set({ current: await client.runs.get({ id }), currentError: undefined });
        } catch (error) {
          set({ currentError: report(error) });
        }
      },
      applyProgress(event) {
        const current = get().current;
        if (current && current.id === event.runId) {
          const tasks = event.task
            ? current.tasks.map((task) =>
                task.id === event.task!.id
                  ? {
                      ...task,
                      status: event.task!.status,
                      ...(event.task!.durationMs !== undefined ? { durationMs: event.task!.durationMs } : {}),
                      ...(event.task!.error ? { error: { message: event.task!.error } } : {}),
                    }
                  : task,
              )
            : current.tasks;
          set({ current: { ...current, status: event.status, tasks } });
          if (TERMINAL.has(event.status)) void get().open(event.runId);
        }
        set((state) => ({
          history: state.history.map((run) => (run.id === event.runId ? { ...run, status: event.status, counts: event.counts } : run)),
        }));
        if (TERMINAL.has(event.status) || !get().history.some((run) => run.id === event.runId)) void get().loadHistory();
      },
    };
  });
}

export type RunsStore = ReturnType<typeof createRunsStore>;
