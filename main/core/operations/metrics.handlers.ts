/** `metrics.*`: the children's CPU and memory, and calls over time from the call log. */
import { MAX_BUCKETS } from '../../../shared/api/operations/metrics.js';
import { sampleProcesses } from '../metrics/process-usage.js';
import { callSeries } from '../store/call-series.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { OperationDeps, Handlers } from './deps.js';
import { OperationError } from './operation-error.js';

/** The running children of every server, by pid. */
export function runningChildren(supervisor: Supervisor): { server: string; pid: number }[] {
  return supervisor
    .list()
    .map((server) => ({ server: server.name, pid: server.status().pid }))
    .filter((child): child is { server: string; pid: number } => child.pid !== undefined);
}

export function metricsHandlers(deps: Pick<OperationDeps, 'supervisor' | 'store'>): Handlers<'metrics.processes' | 'metrics.series'> {
  return {
    'metrics.processes': async () => ({ time: Date.now(), samples: await sampleProcesses(runningChildren(deps.supervisor)) }),
    'metrics.series': ({ since, until, bucketMs, server }) => {
      const end = until ?? Date.now();
      if (end <= since) throw new OperationError('bad_request', 'until must be later than since');
      const buckets = Math.ceil((end - since) / bucketMs);
      if (buckets > MAX_BUCKETS)
        throw new OperationError('bad_request', `${buckets} buckets asked, at most ${MAX_BUCKETS}: widen bucketMs or shorten the range`);
      deps.store.calls.flush();
      return { bucketMs, since, until: end, ...callSeries(deps.store.db, { since, until: end, bucketMs, server }) };
    },
  };
}
