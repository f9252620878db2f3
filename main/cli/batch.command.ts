/**
 * `mcp-orch batch <plan.json>`: runs a batch plan on the daemon through `batch_execute` on the
 * aggregated endpoint (an MCP client, not the REST API), showing each task as it finishes. Ctrl-C
 * cancels the run: the tasks still running are cancelled on their servers.
 */
import { readFile } from 'node:fs/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Command } from 'commander';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import type { CompactReport } from '../core/shell-surface.js';
import { CliError, EXIT, connect, runCommand, withApiOptions, type ApiOptions } from './api-client.js';
import { printRun, progressLine, taskDetail } from './run-output.js';

/** Long enough for any plan; progress resets it, so only a silent run this long gives up. */
const QUIET_LIMIT_MS = 10 * 60_000;

async function readPlan(path: string): Promise<unknown> {
  let text: string;
  try {
    text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`, 'bad_request', EXIT.usage);
  }
  const errors: ParseError[] = [];
  const plan: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || plan === undefined) throw new CliError(`${path} is not JSON`, 'bad_request', EXIT.usage);
  return plan;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function printReport(report: CompactReport): void {
  const rows = report.tasks.map((task) => ({
    id: task.id,
    tool: task.tool,
    status: task.status,
    durationMs: task.durationMs,
    detail: taskDetail(task),
  }));
  printRun(rows, {
    status: report.status,
    tasks: report.tasks.length,
    wallMs: report.wallTimeMs,
    taskMs: report.taskTimeMs,
    speedup: report.speedup,
    warnings: report.warnings,
  });
}

export function batchCommand(): Command {
  return withApiOptions(
    new Command('batch')
      .description('run a batch plan (JSON file, or - for stdin) on the daemon, in batch mode, with live progress')
      .argument('<plan>', 'the plan: {"tasks":[{"id":"a","tool":"server__tool","arguments":{}}, …]}'),
  ).action((path: string, options: ApiOptions) =>
    runCommand('batch', options, async () => {
      const plan = await readPlan(path);
      const connection = await connect(options);
      const headers: Record<string, string> = connection.token ? { authorization: `Bearer ${connection.token}` } : {};
      const client = new Client({ name: 'mcp-orch-cli', version: '1.0.0' });
      try {
        await client.connect(new StreamableHTTPClientTransport(new URL(`${connection.baseUrl}/mcp`), { requestInit: { headers } }));
      } catch (error) {
        throw new CliError(
          `no MCP Orch daemon answers at ${connection.baseUrl} (${(error as Error).message}): start it with \`mcp-orch serve\`, or pass --url`,
          'server_unavailable',
          EXIT.unreachable,
        );
      }
      const controller = new AbortController();
      const onSignal = (): void => controller.abort(new Error('cancelled with Ctrl-C'));
      process.once('SIGINT', onSignal);
      try {
        const result = await client
          .callTool({ name: 'batch_execute', arguments: plan as Record<string, unknown> }, undefined, {
            signal: controller.signal,
            timeout: QUIET_LIMIT_MS,
            resetTimeoutOnProgress: true,
            onprogress: (progress) => {
              if (!options.json) process.stderr.write(progressLine(progress.progress, progress.total, progress.message ?? ''));
            },
          })
          .catch((error: unknown) => {
            const message = (error as Error).message;
            if (/Unknown tool/.test(message))
              throw new CliError(
                'the daemon is in proxy mode: run it with `mcp-orch serve --mode batch`, or set "orch.mode": "batch"',
                'conflict',
              );
            throw new CliError(controller.signal.aborted ? 'cancelled: the tasks still running were cancelled' : message, 'internal');
          });
        const text = (result.content as { type: string; text?: string }[]).find((block) => block.type === 'text')?.text ?? '';
        if (result.isError) throw new CliError(text, 'bad_request', EXIT.failed, result.structuredContent);
        const report = result.structuredContent as CompactReport;
        if (options.json) console.log(JSON.stringify(report, null, 2));
        else printReport(report);
        if (report.status !== 'succeeded') process.exitCode = EXIT.failed;
      } finally {
        process.off('SIGINT', onSignal);
        await client.close();
      }
    }),
  );
}
