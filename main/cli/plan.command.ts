/**
 * `mcp-orch plan "<request>" [--dry-run]`: the daemon's LLM planner turns the request into a batch
 * plan over the tools the key may call, and runs it (`POST /api/runs {request}`): the plan is
 * printed as waves once it is complete, then each task as it ends (the run's `run.progress`
 * events), then the results, as `mcp-orch batch` shows them. `--dry-run` prints the plan only.
 * Ctrl-C cancels the planning, or the run once it started.
 */
import { Command } from 'commander';
import type { z } from 'zod';
import type { OrchEvent } from '../../shared/api/events.js';
import { operations } from '../../shared/api/operations.js';
import type { planPreviewSchema, runSchema } from '../../shared/api/operations/runs.js';
import { CliError, EXIT, callApi, connect, runCommand, withApiOptions, type ApiOptions, type Connection } from './api-client.js';
import { oneLine, printRun, printWaves, progressLine, taskDetail } from './run-output.js';

type Run = z.output<typeof runSchema>;
type Preview = z.output<typeof planPreviewSchema>;
type Progress = Extract<OrchEvent, { type: 'run.progress' }>;

interface PlanOptions extends ApiOptions {
  dryRun?: boolean;
}

/** Events kept while the run's id is not known yet: far more than the tasks of any plan. */
const MAX_EARLY_EVENTS = 10_000;
/** How often the run is asked for when the live events cannot be followed. */
const POLL_MS = 500;

const ENDED_TASK = new Set(['succeeded', 'failed', 'skipped', 'cancelled', 'interrupted']);
const ENDED_RUN = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

/** `plan: 3 tasks in 2 waves, planned in 840 ms (1200 + 90 tokens)`. */
function planLine(planning: Run['planning'], taskCount: number, waveCount: number): string {
  const figures = planning
    ? `, planned in ${Math.round(planning.planningMs)} ms${planning.cacheHit ? ' from the plan cache' : ` (${planning.inputTokens} + ${planning.outputTokens} tokens)`}`
    : '';
  return `plan: ${taskCount} task${taskCount === 1 ? '' : 's'} in ${waveCount} wave${waveCount === 1 ? '' : 's'}${figures}`;
}

function wavesOf(run: Run): string[][] {
  const waves: string[][] = [];
  for (const task of run.tasks) (waves[task.wave] ??= []).push(task.id);
  return waves.filter((wave) => wave !== undefined);
}

function printPlan(run: Run): void {
  const waves = wavesOf(run);
  console.log(planLine(run.planning, run.tasks.length, waves.length));
  const tools = new Map(run.tasks.map((task) => [task.id, task.tool]));
  printWaves(waves, (id) => tools.get(id));
}

/** The table shows the results of the plan's output tasks; of the others, only what went wrong. */
function printResults(run: Run): void {
  const output = new Set(run.plan.output ?? run.tasks.map((task) => task.id));
  const rows = run.tasks.map((task) => {
    const text = task.result?.content.map((block) => (block.type === 'text' && typeof block.text === 'string' ? block.text : '')).join(' ');
    const shown = output.has(task.id) || task.status !== 'succeeded';
    return {
      id: task.id,
      tool: task.tool,
      status: task.status,
      durationMs: task.durationMs,
      detail: shown ? taskDetail({ ...task, text: text || undefined, structuredContent: task.result?.structuredContent }) : '',
    };
  });
  printRun(rows, {
    status: run.status,
    tasks: run.tasks.length,
    wallMs: run.wallMs ?? 0,
    taskMs: run.sumTaskMs ?? 0,
    speedup: run.speedup ?? 1,
    error: run.error,
  });
}

function printPreview(preview: Preview): void {
  const tools = new Map((preview.plan?.tasks ?? []).map((task) => [task.id, task.tool]));
  console.log(planLine(preview.planning, tools.size, preview.waves.length));
  printWaves(preview.waves, (id) => tools.get(id));
  if (preview.needsApproval.length > 0) console.log(`needs approval: ${preview.needsApproval.join(', ')}`);
  for (const note of preview.notes ?? []) console.log(`note: ${oneLine(note)}`);
  console.log(`\n${JSON.stringify(preview.plan, null, 2)}`);
}

/** The live events, followed: `opened` says whether the stream opened, so no event of the run is missed. */
interface Following {
  opened: boolean;
  stop: () => void;
}

/** Follows the live events; resolves once the subscription is open, or could not be opened. */
function follow(connection: Connection, onProgress: (event: Progress) => void, onReopen: () => void): Promise<Following> {
  return new Promise((resolve) => {
    let opens = 0;
    let settled = false;
    const stop = connection.client.subscribe(
      (event) => {
        if (event.type === 'run.progress') onProgress(event);
      },
      {
        onStatus: (status) => {
          if (status === 'open' && ++opens > 1) onReopen();
          if (status === 'connecting' || settled) return;
          settled = true;
          resolve({ opened: status === 'open', stop });
        },
      },
    );
  });
}

/** Asks for the run until it ended (the fallback when the live events cannot be followed). */
async function pollUntilEnded(connection: Connection, runId: string, signal: AbortSignal): Promise<string | undefined> {
  while (!signal.aborted) {
    const run = await callApi(connection, operations['runs.get'], { id: runId });
    if (ENDED_RUN.has(run.status)) return run.status;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, POLL_MS);
      signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
  return undefined;
}

async function runRequest(connection: Connection, request: string, options: PlanOptions): Promise<void> {
  let runId: string | undefined;
  let finished: ((status: string) => void) | undefined;
  const ended = new Promise<string>((resolve) => (finished = resolve));
  const early: Progress[] = [];
  const show = (event: Progress): void => {
    if (ENDED_RUN.has(event.status)) finished?.(event.status);
    if (!event.task || !ENDED_TASK.has(event.task.status) || options.json) return;
    const done = Object.entries(event.counts).reduce((sum, [status, n]) => (ENDED_TASK.has(status) ? sum + (n ?? 0) : sum), 0);
    const total = Object.values(event.counts).reduce((sum, n) => sum + (n ?? 0), 0);
    process.stderr.write(progressLine(done, total, `${event.task.id} ${event.task.status}`));
  };
  const following = await follow(
    connection,
    (event) => {
      if (runId === undefined) {
        if (early.length < MAX_EARLY_EVENTS) early.push(event);
      } else if (event.runId === runId) show(event);
    },
    // Events may have been lost while the stream was down: ask how the run stands.
    () => {
      if (runId === undefined) return;
      void callApi(connection, operations['runs.get'], { id: runId }).then(
        (run) => ENDED_RUN.has(run.status) && finished?.(run.status),
        () => undefined,
      );
    },
  );
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    const started = await callApi(connection, operations['runs.create'], { request }, controller.signal).catch((error: unknown) => {
      throw controller.signal.aborted ? new CliError('cancelled while planning: nothing more runs', 'cancelled') : error;
    });
    runId = started.id;
    if (!options.json) printPlan(started);
    for (const event of early.splice(0)) if (event.runId === runId) show(event);
    if (ENDED_RUN.has(started.status)) finished?.(started.status);
    const cancelled = new Promise<undefined>((resolve) =>
      controller.signal.addEventListener('abort', () => resolve(undefined), { once: true }),
    );
    const end = await Promise.race([following.opened ? ended : pollUntilEnded(connection, runId, controller.signal), cancelled]);
    if (end === undefined) {
      if (!options.json) process.stderr.write('cancelling the run…\n');
      await callApi(connection, operations['runs.cancel'], { id: runId }).catch((error: unknown) => {
        // It ended meanwhile.
        if (!(error instanceof CliError && error.code === 'conflict')) throw error;
      });
    }
    const run = await callApi(connection, operations['runs.get'], { id: runId });
    if (options.json) console.log(JSON.stringify(run, null, 2));
    else {
      console.log('');
      printResults(run);
    }
    if (run.status !== 'succeeded') process.exitCode = EXIT.failed;
  } finally {
    process.off('SIGINT', onSignal);
    following.stop();
  }
}

export function planCommand(): Command {
  return withApiOptions(
    new Command('plan')
      .description("plan a request with the daemon's LLM planner (orch.planner) and run it, with live progress")
      .argument('<request>', 'what to do, in plain words, with the values it needs')
      .option('--dry-run', 'print the plan without running it'),
  ).action((request: string, options: PlanOptions) =>
    runCommand('plan', options, async () => {
      if (!request.trim())
        throw new CliError('say what to do: mcp-orch plan "list the open issues of acme/app"', 'bad_request', EXIT.usage);
      const connection = await connect(options);
      if (options.dryRun) {
        const preview = await callApi(connection, operations['runs.dryRun'], { request });
        if (options.json) console.log(JSON.stringify(preview, null, 2));
        else printPreview(preview);
        return;
      }
      await runRequest(connection, request, options);
    }),
  );
}
