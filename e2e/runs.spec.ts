import { startLlmEndpoint } from '../main/core/planner/__fixtures__/llm-endpoint.js';
import { allServers } from './fixtures/daemon.js';
import { expect, test } from './fixtures/orch-fixture.js';
import { RunsPage } from './pages/runs.page.js';

test.use({ daemonOptions: { servers: allServers } });

const LIVE_PLAN = {
  tasks: [
    { id: 'slow', tool: 'everything__trigger-long-running-operation', arguments: { duration: 6, steps: 3 } },
    { id: 'sum', tool: 'example__add', arguments: { a: 2, b: 3 } },
    { id: 'report', tool: 'example__echo', arguments: { text: 'sum {{sum.text}} after {{slow.text}}' } },
  ],
};

test('dry-runs a plan into waves, and lists every problem of a bad one', async ({ dashboard, page }) => {
  await dashboard.open('/runs');
  const runs = new RunsPage(page);
  // This daemon has no planner: asking in plain words says what to set.
  await page.getByLabel('Ask in plain words').fill('add 2 and 3');
  await page.getByRole('button', { name: 'Plan', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'no planner is configured: set "orch.planner"' })).toBeVisible();

  await runs.setPlan(LIVE_PLAN);
  await runs.button('Dry run').click();
  await expect(runs.dryRun).toContainText('Valid: 2 wave(s)');
  await expect(runs.dryRun).toContainText('Wave 1: slow, sum');
  await expect(runs.dryRun).toContainText('Wave 2: report');
  for (const task of ['slow', 'sum', 'report']) await expect(runs.node(task)).toHaveAttribute('data-status', 'planned');

  await runs.setPlan({
    tasks: [
      { id: 'a', tool: 'nowhere__nothing', arguments: {} },
      { id: 'b', tool: 'example__echo', arguments: { text: '{{zzz.text}}' } },
    ],
  });
  await runs.button('Dry run').click();
  await expect(runs.dryRun).toContainText('The plan has problems');
  await expect(runs.dryRun).toContainText('nowhere__nothing');
  await expect(runs.dryRun).toContainText('zzz');

  await runs.setPlanText('{ "tasks": [');
  await expect(page.getByText(/not valid JSON/)).toBeVisible();
  await expect(runs.button('Run')).toBeDisabled();
});

test('runs a plan live on its graph, then shows its results and keeps it in the history', async ({ dashboard, page }) => {
  await dashboard.open('/runs');
  const runs = new RunsPage(page);
  await runs.setPlan(LIVE_PLAN);
  const slowStates = await runs.recordStates('slow');
  const reportStates = await runs.recordStates('report');
  await runs.button('Run').click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  await expect(runs.node('slow')).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
  await expect(runs.node('report')).toHaveAttribute('data-status', 'succeeded');
  await expect(runs.node('sum')).toHaveAttribute('data-status', 'succeeded');
  // Seen live on the graph, without a reload: each task went through its states in order.
  const slow = await slowStates();
  expect(slow).toContain('running');
  expect(slow.at(-1)).toBe('succeeded');
  const report = await reportStates();
  expect(report.indexOf('queued')).toBeGreaterThan(-1);
  expect(report.indexOf('queued')).toBeLessThan(report.indexOf('succeeded'));
  expect(report.at(-1)).toBe('succeeded');
  await expect(page.getByTestId('run-task-report')).toContainText('sum 5 after');
  await expect(runs.history.getByRole('row').filter({ hasText: 'succeeded' })).toHaveCount(1);

  const id = page.url().split('/').pop()!;
  await dashboard.open('/runs');
  await runs.history.getByRole('link', { name: id }).click();
  await expect(page.getByTestId('run-task-sum')).toContainText('5');
});

test('cancels a running plan', async ({ dashboard, page }) => {
  await dashboard.open('/runs');
  const runs = new RunsPage(page);
  await runs.setPlan({
    tasks: [
      { id: 'long', tool: 'everything__trigger-long-running-operation', arguments: { duration: 60, steps: 60 } },
      { id: 'after', tool: 'example__echo', arguments: { text: '{{long.text}}' } },
    ],
  });
  await runs.button('Run').click();
  await expect(runs.node('long')).toHaveAttribute('data-status', 'running');
  await runs.button('Cancel run').click();
  await expect(runs.node('long')).toHaveAttribute('data-status', 'cancelled');
  await expect(runs.node('after')).toHaveAttribute('data-status', /skipped|cancelled/);
  await expect(runs.button('Cancel run')).toBeDisabled();
  await expect(runs.history.getByRole('row').filter({ hasText: 'cancelled' })).toHaveCount(1);
});

test('plans a request in plain words with the configured model, shows the plan, then plans and runs it live', async ({
  dashboard,
  page,
  api,
}) => {
  // A local model endpoint speaking OpenAI's Chat Completions; the planner is configured as a user would, in the file.
  const plan = {
    tasks: [
      { id: 'sum', tool: 'example__add', arguments: { a: 2, b: 3 } },
      { id: 'say', tool: 'example__echo', arguments: { text: 'sum is {{sum.text}}' } },
    ],
  };
  const model = await startLlmEndpoint(() => ({ kind: 'plan', text: JSON.stringify(plan), usage: { input: 321, output: 45 } }));
  try {
    const current = await api.config.get({});
    const config = JSON.parse(current.text) as { orch?: Record<string, unknown> };
    config.orch = {
      ...config.orch,
      planner: { provider: 'openai-compatible', model: 'local-test', baseURL: `${model.url}/v1`, maxRetries: 0 },
    };
    const saved = await api.config.put({ text: JSON.stringify(config, null, 2), revision: current.revision });
    expect(saved.reload.ok).toBe(true);

    await dashboard.open('/runs');
    const runs = new RunsPage(page);
    await page.getByLabel('Ask in plain words').fill('add 2 and 3, then say the sum');
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    await expect(runs.dryRun).toContainText('Valid: 2 wave(s)');
    await expect(runs.dryRun).toContainText('321 + 45 tokens');
    await expect(page.getByTestId('json-editor')).toContainText('example__add');
    for (const task of ['sum', 'say']) await expect(runs.node(task)).toHaveAttribute('data-status', 'planned');

    await page.getByRole('button', { name: 'Plan and run' }).click();
    await expect(page).toHaveURL(/\/runs\/[^/]+$/);
    await expect(runs.node('say')).toHaveAttribute('data-status', 'succeeded');
    await expect(page.getByTestId('run-task-say')).toContainText('sum is 5');
    await expect(page.getByTestId('run-request')).toContainText('add 2 and 3, then say the sum');
    // The second identical request came from the plan cache: the model was asked once.
    expect(model.requests.filter((request) => request.path.endsWith('/chat/completions'))).toHaveLength(1);
  } finally {
    await model.close();
  }
});
