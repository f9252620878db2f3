/**
 * Runs: ask in plain words (the LLM planner plans it into the editor, or plans and runs it), or
 * write or paste a batch plan (checked as you type); dry-run it, run it live on its graph, cancel;
 * the history.
 */
import { batchPlanSchema } from '@shared/batch-plan';
import { Suspense, useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { z } from 'zod';
import { JsonEditor } from '../../components/json-editor';
import { PageHeader } from '../../components/layout/app-shell';
import { PartBoundary, reloadableLazy } from '../../components/layout/part-boundary';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { Card, CardTitle } from '../../components/ui/card';
import { Label, Textarea } from '../../components/ui/input';
import { ErrorState, Loading } from '../../components/ui/states';
import { useDomain, useStores } from '../../stores/context';
import { readPlan } from './plan-model';
import { RunDetail } from './run-detail';
import { RunHistory } from './run-history';

const PlanGraph = reloadableLazy(() => import('./plan-graph'));

const EXAMPLE_PLAN = JSON.stringify(
  {
    tasks: [
      { id: 'sum', tool: 'example__add', arguments: { a: 2, b: 3 } },
      { id: 'time', tool: 'example__now', arguments: {} },
      { id: 'report', tool: 'example__echo', arguments: { text: 'sum {{sum.text}} at {{time.text}}' } },
    ],
    onError: 'continue',
  },
  null,
  2,
);

const PLAN_SCHEMA = z.toJSONSchema(batchPlanSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

export default function RunsPage() {
  const stores = useStores();
  const navigate = useNavigate();
  const { id } = useParams();
  const [text, setText] = useState(EXAMPLE_PLAN);
  const [request, setRequest] = useState('');
  const preview = useDomain('runs', (state) => state.preview);
  const previewError = useDomain('runs', (state) => state.previewError);
  const current = useDomain('runs', (state) => state.current);
  const currentError = useDomain('runs', (state) => state.currentError);
  const busy = useDomain('runs', (state) => state.busy);
  const parsed = useMemo(() => readPlan(text), [text]);
  useEffect(() => {
    void stores.runs.getState().loadHistory();
  }, [stores]);
  useEffect(() => {
    if (id !== undefined && stores.runs.getState().current?.id !== id) void stores.runs.getState().open(id);
  }, [stores, id]);
  const shownRun = current && (id === undefined || current.id === id) ? current : undefined;
  // The editor shows the plan of the run on the graph, so the two never disagree.
  const shownId = shownRun?.id;
  useEffect(() => {
    const plan = stores.runs.getState().current?.plan;
    if (shownId !== undefined && plan) setText(JSON.stringify(plan, null, 2));
  }, [stores, shownId]);
  const graphPlan = shownRun?.plan ?? parsed.plan;
  const running = shownRun?.status === 'running' || shownRun?.status === 'queued';

  return (
    <>
      <PageHeader title="Runs" description="Batch plans: many tool calls at once, in parallel where their dependencies allow." />
      <div className="grid grid-cols-1 gap-5 xl:grid-cols-2">
        <div className="flex flex-col gap-4">
          <Card>
            <Label htmlFor="nl-request">Ask in plain words</Label>
            <Textarea
              id="nl-request"
              rows={2}
              value={request}
              onChange={(event) => setRequest(event.target.value)}
              className="mt-1 w-full font-sans"
              placeholder="e.g. list my open issues and summarise them in a Notion page"
              aria-describedby="nl-why"
            />
            <p id="nl-why" className="mt-1 text-xs text-muted">
              The LLM planner (<code>orch.planner</code>) turns it into a plan over the tools your key may call: Plan puts it in the editor
              below, Plan and run runs it.
            </p>
            <div className="mt-2 flex flex-wrap gap-2">
              <Button
                disabled={busy || !request.trim()}
                onClick={() =>
                  void stores.runs
                    .getState()
                    .planRequest(request.trim())
                    .then(() => {
                      const planned = stores.runs.getState().preview?.plan;
                      if (planned) setText(JSON.stringify(planned, null, 2));
                    })
                }
              >
                Plan
              </Button>
              <Button
                variant="primary"
                disabled={busy || !request.trim()}
                onClick={() =>
                  void stores.runs
                    .getState()
                    .startRequest(request.trim())
                    .then(() => {
                      const started = stores.runs.getState().current;
                      if (started) void navigate(`/runs/${started.id}`);
                    })
                }
              >
                Plan and run
              </Button>
            </div>
          </Card>
          <Card>
            <CardTitle className="mb-2">Plan</CardTitle>
            <JsonEditor label="Batch plan" value={text} onChange={setText} schema={PLAN_SCHEMA} minHeight="14rem" />
            {parsed.error ? (
              <p role="alert" className="mt-2 text-xs text-bad">
                {parsed.error}
              </p>
            ) : null}
            <div className="mt-3 flex flex-wrap gap-2">
              <Button disabled={busy || !parsed.plan} onClick={() => parsed.plan && void stores.runs.getState().dryRun(parsed.plan)}>
                Dry run
              </Button>
              <Button
                variant="primary"
                disabled={busy || !parsed.plan}
                onClick={() => {
                  if (!parsed.plan) return;
                  void stores.runs
                    .getState()
                    .start(parsed.plan)
                    .then(() => {
                      const started = stores.runs.getState().current;
                      if (started) void navigate(`/runs/${started.id}`);
                    });
                }}
              >
                Run
              </Button>
              <Button variant="danger" disabled={!running} onClick={() => void stores.runs.getState().cancel()}>
                Cancel run
              </Button>
            </div>
            {previewError ? <ErrorState className="mt-3" message={previewError} /> : null}
            {currentError ? <ErrorState className="mt-3" message={currentError} /> : null}
            {preview ? (
              <section aria-label="Dry run" className="mt-3 text-sm">
                <p className="font-medium">{preview.valid ? `Valid: ${preview.waves.length} wave(s)` : 'The plan has problems:'}</p>
                {preview.planning ? (
                  <p className="text-xs text-muted">
                    Planned in {Math.round(preview.planning.planningMs)} ms
                    {preview.planning.cacheHit
                      ? ', from the plan cache'
                      : ` (${preview.planning.inputTokens} + ${preview.planning.outputTokens} tokens)`}
                  </p>
                ) : null}
                <ul className="mt-1 list-disc pl-5 text-xs">
                  {preview.problems.map((problem, index) => (
                    <li key={index} className="text-bad">
                      <code>{problem.path}</code>: {problem.message}
                    </li>
                  ))}
                  {preview.waves.map((wave, index) => (
                    <li key={`wave-${index}`}>
                      Wave {index + 1}: {wave.join(', ')}
                    </li>
                  ))}
                </ul>
                {preview.needsApproval.length ? (
                  <p className="mt-1 text-xs text-warn">Needs approval: {preview.needsApproval.join(', ')}</p>
                ) : null}
              </section>
            ) : null}
          </Card>
        </div>
        <div className="flex flex-col gap-4">
          <Card>
            <div className="mb-2 flex items-center gap-2">
              <CardTitle>{shownRun ? `Run ${shownRun.id}` : 'Graph of the plan'}</CardTitle>
              {shownRun ? (
                <Badge
                  tone={
                    shownRun.status === 'succeeded'
                      ? 'ok'
                      : shownRun.status === 'running'
                        ? 'busy'
                        : shownRun.status === 'failed'
                          ? 'bad'
                          : 'warn'
                  }
                >
                  {shownRun.status}
                </Badge>
              ) : null}
            </div>
            {graphPlan ? (
              <PartBoundary label="The graph">
                <Suspense fallback={<Loading />}>
                  <PlanGraph plan={graphPlan} run={shownRun} />
                </Suspense>
              </PartBoundary>
            ) : (
              <p className="text-sm text-muted">Fix the plan to see its graph.</p>
            )}
          </Card>
          {shownRun ? <RunDetail run={shownRun} /> : null}
        </div>
      </div>
      <RunHistory />
    </>
  );
}
