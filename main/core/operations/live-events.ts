/**
 * The live events of the contract (`OrchEvent`), whatever carries them (SSE, the IPC bridge): server
 * state changes, finished calls, batch run progress, config reloads, mode changes, catalog changes, log lines and
 * the children's CPU and memory (operations/dashboard-events.ts). The sources
 * are followed only while someone subscribes, so a call costs nothing extra when nobody watches.
 * Each subscriber gets the calls and runs it may see (operations/visibility.ts) and every event
 * that carries no results.
 */
import type { OrchEvent } from '../../../shared/api/events.js';
import type { BatchRunEvent } from '../runs/batch-service.js';
import { countsOf } from '../runs/live-runs.js';
import { Emitter, type Disposer } from '../events/emitter.js';
import type { ServerSupervisor } from '../supervisor/server-supervisor.js';
import type { CallRecord } from '../supervisor/upstream-router.js';
import type { Principal } from '../auth/roles.js';
import { reloadView } from './config.handlers.js';
import { followDashboardEvents } from './dashboard-events.js';
import type { OperationDeps } from './deps.js';
import type { EventSource } from './create-dispatcher.js';
import { sees, visibilityOf } from './visibility.js';

/** An event and whose it is: the key of a call or a run, and the tool of a call. */
interface Envelope {
  event: OrchEvent;
  keyId?: string | undefined;
  server?: string | undefined;
  tool?: string | undefined;
}

export class LiveEvents implements EventSource {
  private readonly emitter = new Emitter<Envelope>();
  private sources: Disposer[] = [];
  private subscribers = 0;

  constructor(private readonly deps: Pick<OperationDeps, 'supervisor' | 'registry' | 'hotReload' | 'batch' | 'tokens'>) {}

  /** Delivers to `listener` every event `principal` may see, until the disposer is called. */
  subscribe(principal: Principal, listener: (event: OrchEvent) => void): Disposer {
    const visibility = visibilityOf(principal, this.deps.tokens);
    if (this.subscribers++ === 0) this.follow();
    const stop = this.emitter.event(({ event, keyId, server, tool }) => {
      if (event.type === 'call' || event.type === 'run.progress' ? sees(visibility, keyId, server, tool) : true) listener(event);
    });
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      stop();
      if (--this.subscribers === 0) this.unfollow();
    };
  }

  dispose(): void {
    this.unfollow();
    this.emitter.dispose();
  }

  private follow(): void {
    const { supervisor, registry, hotReload, batch } = this.deps;
    const emit = (event: OrchEvent, owner?: Omit<Envelope, 'event'>): void => this.emitter.fire({ event, ...owner });
    const followCalls = (server: ServerSupervisor): void => {
      this.sources.push(
        server.onDidCall((record) =>
          emit(
            { type: 'call', time: Date.now(), call: callEntry(server.name, record) },
            { keyId: record.peer.keyId, server: server.name, tool: record.method === 'tools/call' ? record.target : undefined },
          ),
        ),
      );
    };
    for (const server of supervisor.list()) followCalls(server);
    this.sources.push(
      supervisor.onDidCreateServer(followCalls),
      supervisor.onDidChangeState(({ status, previous }) => emit({ type: 'server.state', time: Date.now(), status, previous })),
      hotReload.onDidReload((result) => {
        const { time: _time, ...view } = reloadView(result);
        emit({ type: 'config.reload', time: result.time, ...view });
      }),
      registry.onDidChange(({ server, kinds }) => emit({ type: 'tools.changed', time: Date.now(), server, kinds })),
      batch.onDidChangeMode((mode) => emit({ type: 'mode.changed', time: Date.now(), mode })),
      batch.onDidRun((event) => {
        const progress = runProgress(this.deps, event);
        if (progress) emit(progress, { keyId: event.keyId });
      }),
      ...followDashboardEvents(this.deps, (event) => emit(event)),
    );
  }

  private unfollow(): void {
    for (const dispose of this.sources.splice(0)) dispose();
  }
}

/** A finished call as the call log shows it. */
function callEntry(server: string, record: CallRecord): Extract<OrchEvent, { type: 'call' }>['call'] {
  return {
    time: record.startedAt,
    sessionId: record.peer.sessionId ?? '',
    ...(record.peer.clientName ? { client: record.peer.clientName } : {}),
    ...(record.peer.keyName ? { keyName: record.peer.keyName } : {}),
    server,
    ...(record.method === 'tools/call' && record.target ? { tool: record.target } : {}),
    method: record.method,
    durationMs: record.durationMs,
    ok: record.ok,
    ...(record.error ? { error: record.error } : {}),
    bytesIn: record.bytesIn,
    bytesOut: record.bytesOut,
  };
}

/** A `run.progress` event for what a run just did; counts are read from the run as it stands now. */
export function runProgress(
  deps: Pick<OperationDeps, 'batch'>,
  event: BatchRunEvent,
): Extract<OrchEvent, { type: 'run.progress' }> | undefined {
  if (event.type === 'started') {
    return {
      type: 'run.progress',
      time: Math.round(event.at),
      runId: event.runId,
      status: 'running',
      counts: { queued: event.tasks.length },
    };
  }
  if (event.type === 'ended') {
    return {
      type: 'run.progress',
      time: Math.round(event.at),
      runId: event.runId,
      status: event.report.status,
      counts: countsOf(event.report.tasks),
    };
  }
  const live = deps.batch.live(event.runId);
  if (!live) return undefined;
  const task = live.tasks[event.event.index];
  const change = event.event;
  const durationMs = change.type === 'ended' && task?.startedAt !== undefined ? Math.max(0, change.at - task.startedAt) : undefined;
  const error = change.type === 'retrying' || change.type === 'ended' ? change.error?.message : undefined;
  return {
    type: 'run.progress',
    time: Math.round(change.at),
    runId: event.runId,
    status: live.status,
    task: {
      id: change.id,
      status: change.type === 'ended' ? change.status : 'running',
      ...(durationMs !== undefined ? { durationMs } : {}),
      ...(error !== undefined ? { error } : {}),
    },
    counts: countsOf(live.tasks),
  };
}
