/**
 * `GET /api/events`: live updates as server-sent events. Each event is one member of the contract's
 * event union (`orchEventSchema`): server state changes, finished calls, config reloads, catalog
 * changes. A `: ping` comment every 15 s keeps the connection open; everything is unsubscribed
 * when the client goes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OrchEvent } from '../../../../shared/api/events.js';
import type { Disposer } from '../../events/emitter.js';
import type { ServerSupervisor } from '../../supervisor/server-supervisor.js';
import { SSE_HEADERS } from '../http-util.js';
import type { ApiDeps } from './api-deps.js';
import { reloadView } from './config.handlers.js';
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
