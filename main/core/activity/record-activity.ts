/**
 * Connects the running daemon to the store: every client call into the call log, every server
 * state change into the server events, every child PID into the PID table (for orphan reaping),
 * and the registry's lists into the catalog cache. Nothing here blocks a call: the call log is
 * queued and written in batches.
 */
import type { Disposer } from '../events/emitter.js';
import { LIST_KINDS, type CatalogCache, type CatalogItem, type ListKind } from '../registry/tool-registry.js';
import type { ServerState, ServerSupervisor } from '../supervisor/server-supervisor.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import { processStartTime } from '../supervisor/orphan-reaper.js';
import type { ServerEventKind } from '../store/server-events.repository.js';
import type { Store } from '../store/store.js';

const EVENT_OF_STATE: Partial<Record<ServerState, ServerEventKind>> = {
  running: 'running',
  crashed: 'crash',
  failed: 'failed',
  stopped: 'stop',
};

/** Records what one server does, for as long as it lives (its events end with it). */
function recordServer(store: Store, server: ServerSupervisor): void {
  server.onDidCall((call) => {
    store.calls.record({
      time: call.startedAt,
      sessionId: call.peer.sessionId ?? '',
      client: call.peer.clientName,
      keyId: call.peer.keyId,
      keyName: call.peer.keyName,
      server: server.name,
      tool: call.method === 'tools/call' ? call.target : undefined,
      method: call.method,
      durationMs: call.durationMs,
      ok: call.ok,
      error: call.error,
      bytesIn: call.bytesIn,
      bytesOut: call.bytesOut,
    });
    if (call.method === 'tools/call') {
      store.audit.record({
        time: call.startedAt,
        keyId: call.peer.keyId,
        keyName: call.peer.keyName,
        action: 'tools/call',
        target: `${server.name}__${call.target ?? '?'}`,
        outcome: call.ok ? 'ok' : 'error',
        ...(call.error ? { details: { error: call.error } } : {}),
      });
    }
  });
  server.onDidChangeProcess((event) => {
    if (event.kind === 'spawned') {
      store.pids.add({
        pid: event.pid,
        server: server.name,
        startedAt: Date.now(),
        processStartTime: processStartTime(event.pid),
        command: [event.command ?? '', ...server.config.args].join(' ').trim(),
      });
    } else {
      store.pids.remove(event.pid);
    }
  });
}

/** Starts recording; the disposer stops it for new servers and state changes (the store stays open). */
export function recordActivity(store: Store, supervisor: Supervisor): Disposer {
  for (const server of supervisor.list()) recordServer(store, server);
  const disposers = [
    supervisor.onDidCreateServer((server) => recordServer(store, server)),
    supervisor.onDidChangeState(({ status, previous }) => {
      const kind = status.state === 'starting' ? (previous === 'backoff' ? 'restart' : 'start') : EVENT_OF_STATE[status.state];
      if (!kind) return;
      store.serverEvents.record({
        time: Date.now(),
        server: status.name,
        kind,
        pid: status.pid,
        exitCode: status.exitCode ?? undefined,
        signal: status.signal ?? undefined,
        message: status.state === 'crashed' || status.state === 'failed' ? status.lastError : undefined,
      });
    }),
  ];
  return () => disposers.forEach((dispose) => dispose());
}

/** The store's catalog table as the registry's cache. */
export function catalogCache(store: Store): CatalogCache {
  return {
    load(server) {
      const saved = store.catalog.load(server);
      if (!saved) return undefined;
      const lists: Partial<Record<ListKind, CatalogItem[]>> = {};
      for (const kind of LIST_KINDS) {
        if (saved[kind]) lists[kind] = saved[kind];
      }
      return lists;
    },
    save(server, kind, items) {
      store.catalog.save(server, kind, items);
    },
  };
}
