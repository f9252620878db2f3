/** One run's tasks: arguments, results, errors and timings; for a planned run, its request and how it was planned. */
import { Card, CardTitle } from '../../components/ui/card';
import { Table, Td, Th } from '../../components/ui/table';
import { formatMs, formatSpeedup, formatTime } from '../../lib/format';
import type { Run } from '../../stores/types';

function resultText(task: Run['tasks'][number]): string {
  if (task.error) return task.error.message;
  if (task.reason) return task.reason;
  const blocks = task.result?.content ?? [];
  const text = blocks
    .map((block) => {
      const value = (block as Record<string, unknown>).text;
      return typeof value === 'string' ? value : JSON.stringify(block);
    })
    .join('\n');
  return text || (task.result?.structuredContent ? JSON.stringify(task.result.structuredContent) : '');
}

export function RunDetail({ run }: { run: Run }) {
  return (
    <Card>
      <CardTitle>Tasks</CardTitle>
      <p className="mb-2 mt-1 text-xs text-muted">
        Started {formatTime(run.startedAt ?? run.createdAt)}
        {run.wallMs !== undefined ? ` · wall ${formatMs(run.wallMs)}` : ''}
        {run.sumTaskMs !== undefined ? ` · sum of tasks ${formatMs(run.sumTaskMs)}` : ''}
        {run.speedup !== undefined ? ` · ${formatSpeedup(run.speedup)}` : ''}
        {run.error ? ` · ${run.error}` : ''}
      </p>
      {run.request !== undefined ? (
        <p className="mb-2 text-xs" data-testid="run-request">
          Asked: “{run.request}”
          {run.planning
            ? ` · planned in ${formatMs(run.planning.planningMs)}${run.planning.cacheHit ? ' from the plan cache' : `, ${run.planning.inputTokens} + ${run.planning.outputTokens} tokens`}${run.planning.firstCallMs !== undefined ? ` · first call after ${formatMs(run.planning.firstCallMs)}` : ''}`
            : ''}
        </p>
      ) : null}
      <Table aria-label="Tasks of the run">
        <thead>
          <tr>
            <Th>Task</Th>
            <Th>Status</Th>
            <Th>Arguments</Th>
            <Th>Result or error</Th>
            <Th className="whitespace-nowrap">Time</Th>
          </tr>
        </thead>
        <tbody>
          {run.tasks.map((task) => {
            const planned = run.plan.tasks.find((candidate) => candidate.id === task.id);
            return (
              <tr key={task.id} data-testid={`run-task-${task.id}`}>
                <Td className="font-mono text-xs">
                  {task.id}
                  <div className="text-muted">{task.tool}</div>
                </Td>
                <Td className={task.status === 'failed' ? 'text-bad' : task.status === 'succeeded' ? 'text-ok' : undefined}>
                  {task.status}
                </Td>
                <Td className="max-w-48 break-all font-mono text-xs">{JSON.stringify(planned?.arguments ?? {})}</Td>
                <Td className="max-w-72 whitespace-pre-wrap break-words font-mono text-xs">{resultText(task)}</Td>
                <Td className="whitespace-nowrap tabular-nums">{formatMs(task.durationMs)}</Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
    </Card>
  );
}
