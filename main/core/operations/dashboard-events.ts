/**
 * The live events the dashboard needs beyond state and calls: every server's log lines as they
 * come, and its child's CPU and memory every `resourcesMs` while the stream is open (sampled on the
 * daemon, so the page needs no polling loop).
 */
import type { OrchEvent } from '../../../shared/api/events.js';
import type { Disposer } from '../events/emitter.js';
import { sampleProcesses } from '../metrics/process-usage.js';
import type { ServerSupervisor } from '../supervisor/server-supervisor.js';
import type { OperationDeps } from './deps.js';
import { runningChildren } from './metrics.handlers.js';

const DEFAULT_RESOURCES_MS = 5_000;

export function followDashboardEvents(
  deps: Pick<OperationDeps, 'supervisor'>,
  emit: (event: OrchEvent) => void,
  resourcesMs = DEFAULT_RESOURCES_MS,
): Disposer[] {
  const disposers: Disposer[] = [];
  const followLogs = (server: ServerSupervisor): void => {
    disposers.push(server.logs.onDidAppend((entry) => emit({ type: 'server.log', time: entry.time, server: server.name, entry })));
  };
  for (const server of deps.supervisor.list()) followLogs(server);
  disposers.push(deps.supervisor.onDidCreateServer(followLogs));

  let sampling = false;
  const sample = async (): Promise<void> => {
    if (sampling) return;
    sampling = true;
    try {
      const samples = await sampleProcesses(runningChildren(deps.supervisor));
      emit({ type: 'server.resources', time: Date.now(), samples });
    } catch {
      // A failed sample is skipped; the next one tries again.
    } finally {
      sampling = false;
    }
  };
  const timer = setInterval(() => void sample(), resourcesMs);
  timer.unref();
  disposers.push(() => clearInterval(timer));
  return disposers;
}
