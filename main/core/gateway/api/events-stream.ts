/**
 * `GET /api/events`: live updates as server-sent events. Each event is one member of the contract's
 * event union (`orchEventSchema`): server state changes, finished calls, batch run progress, config
 * reloads, catalog changes. A `: ping` comment every 15 s keeps the connection open; everything is unsubscribed
 * when the client goes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OrchEvent } from '../../../../shared/api/events.js';
import type { TaskStatus } from '../../../../shared/batch-plan.js';
import type { BatchRunEvent } from '../../batch/batch-service.js';
import type { Disposer } from '../../events/emitter.js';
import type { ServerSupervisor } from '../../supervisor/server-supervisor.js';
import { SSE_HEADERS } from '../http-util.js';
import type { ApiDeps } from './api-deps.js';
import { reloadView } from './config.handlers.js';
import { followDashboardEvents } from './dashboard-events.js';
import { EventChannel } from './event-channel.js';

export function openEventStream(deps: ApiDeps, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, SSE_HEADERS);
  const channel = new EventChannel(res);
  channel.comment('connected');
  const emit = (event: OrchEvent): void => channel.send(event.type, JSON.stringify(event));

  const disposers: Disposer[] = [];
  const followCalls = (server: ServerSupervisor): void => {
    disposers.push(
      server.onDidCall((record) =>
        emit({
          type: 'call',
          time: Date.now(),
          call: {
            time: record.startedAt,
            sessionId: record.peer.sessionId ?? '',
            ...(record.peer.clientName ? { client: record.peer.clientName } : {}),
            server: server.name,
            ...(record.method === 'tools/call' && record.target ? { tool: record.target } : {}),
            method: record.method,
            durationMs: record.durationMs,
            ok: record.ok,
            ...(record.error ? { error: record.error } : {}),
            bytesIn: record.bytesIn,
            bytesOut: record.bytesOut,
          },
        }),
      ),
    );
  };
  for (const server of deps.supervisor.list()) followCalls(server);
  disposers.push(
    deps.supervisor.onDidCreateServer(followCalls),
    deps.supervisor.onDidChangeState(({ status, previous }) => emit({ type: 'server.state', time: Date.now(), status, previous })),
    deps.reload().onDidReload((result) => {
      const { time: _time, ...view } = reloadView(result);
      emit({ type: 'config.reload', time: result.time, ...view });
    }),
    deps.registry.onDidChange(({ server, kinds }) => emit({ type: 'tools.changed', time: Date.now(), server, kinds })),
    deps.batch.onDidRun((event) => {
      const progress = runProgress(deps, event);
      if (progress) emit(progress);
    }),
    ...followDashboardEvents(deps, emit),
  );
  const heartbeat = setInterval(() => channel.comment('ping'), deps.heartbeatMs ?? 15_000);
  heartbeat.unref();

  const close = (): void => {
    clearInterval(heartbeat);
    channel.close();
    for (const dispose of disposers.splice(0)) dispose();
  };
  res.on('close', close);
  req.on('error', close);
}

function countsOf(tasks: readonly { status: TaskStatus }[]): Partial<Record<TaskStatus, number>> {
  const counts: Partial<Record<TaskStatus, number>> = {};
  for (const task of tasks) counts[task.status] = (counts[task.status] ?? 0) + 1;
  return counts;
}

/** A `run.progress` event for what a run just did; counts are read from the run as it stands now. */
export function runProgress(deps: Pick<ApiDeps, 'batch'>, event: BatchRunEvent): Extract<OrchEvent, { type: 'run.progress' }> | undefined {
  if (event.type === 'started') {
    return { type: 'run.progress', time: Math.round(event.at), runId: event.runId, status: 'running', counts: { queued: event.tasks.length } };
  }
  if (event.type === 'ended') {
    return { type: 'run.progress', time: Math.round(event.at), runId: event.runId, status: event.report.status, counts: countsOf(event.report.tasks) };
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
