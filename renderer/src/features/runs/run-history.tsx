/** Every stored run, newest first, paged. */
import { Link } from 'react-router';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { Empty, ErrorState, Loading } from '../../components/ui/states';
import { Table, Td, Th } from '../../components/ui/table';
import { formatMs, formatTime } from '../../lib/format';
import { useDomain, useStores } from '../../stores/context';

export function RunHistory() {
  const stores = useStores();
  const history = useDomain('runs', (state) => state.history);
  const status = useDomain('runs', (state) => state.historyStatus);
  const error = useDomain('runs', (state) => state.historyError);
  const more = useDomain('runs', (state) => state.nextCursor);
  return (
    <section aria-labelledby="history-heading" className="mt-6">
      <h2 id="history-heading" className="mb-2 text-sm font-semibold">
        History
      </h2>
      {status === 'loading' ? <Loading /> : null}
      {status === 'error' ? <ErrorState message={error ?? 'failed'} onRetry={() => void stores.runs.getState().loadHistory()} /> : null}
      {status === 'ready' && history.length === 0 ? (
        <Empty title="No runs yet">Run a plan above, or call batch_execute from a client in batch mode.</Empty>
      ) : null}
      {history.length > 0 ? (
        <Table aria-label="Run history">
          <thead>
            <tr>
              <Th>Run</Th>
              <Th>Status</Th>
              <Th>From</Th>
              <Th>Tasks</Th>
              <Th>Created</Th>
              <Th>Wall time</Th>
              <Th>Speed-up</Th>
            </tr>
          </thead>
          <tbody>
            {history.map((run) => (
              <tr key={run.id}>
                <Td>
                  <Link className="font-mono text-xs text-accent hover:underline" to={`/runs/${run.id}`}>
                    {run.id}
                  </Link>
                </Td>
                <Td>
                  <Badge
                    tone={run.status === 'succeeded' ? 'ok' : run.status === 'failed' ? 'bad' : run.status === 'running' ? 'busy' : 'warn'}
                  >
                    {run.status}
                  </Badge>
                </Td>
                <Td className="text-xs">
                  {run.source}
                  {run.createdBy ? ` · ${run.createdBy}` : ''}
                </Td>
                <Td className="text-xs tabular-nums">
                  {run.taskCount}
                  {Object.entries(run.counts).map(([key, count]) => (
                    <span key={key} className="ml-1 text-muted">
                      {key} {count}
                    </span>
                  ))}
                </Td>
                <Td className="text-xs">{formatTime(run.createdAt)}</Td>
                <Td className="tabular-nums">{formatMs(run.wallMs)}</Td>
                <Td className="tabular-nums">{run.speedup !== undefined ? `${run.speedup.toFixed(2)}×` : '–'}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      {more ? (
        <Button size="sm" className="mt-2" onClick={() => void stores.runs.getState().loadHistory(true)}>
          Older runs
        </Button>
      ) : null}
    </section>
  );
}
