/** `mcp-orch serve`: runs the daemon in the foreground until Ctrl-C. */
import { ConfigError, type ReloadResult, type ServerStatus, orchVersion } from '../core/shell-surface.js';
import { createRuntime, type Runtime } from '../core/runtime.js';

export interface ServeOptions {
  config?: string;
  port?: number;
  host?: string;
  mode?: 'proxy' | 'batch';
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function describe(status: ServerStatus): string {
  switch (status.state) {
    case 'failed':
    case 'crashed':
      return `${status.state}: ${status.lastError ?? ''}`;
    case 'backoff':
      return `restarting in ${Math.ceil((status.retryInMs ?? 0) / 1000)} s (${status.lastError ?? 'crashed'})`;
    default:
      return status.state;
  }
}

export function endpointTable(runtime: Runtime): string {
  const rows = [['SERVER', 'STATE', 'STREAMABLE HTTP', 'SSE']];
  for (const server of runtime.supervisor.list()) {
    const name = encodeURIComponent(server.name);
    rows.push([server.name, server.state, `${runtime.url}/mcp/${name}`, `${runtime.url}/sse/${name}`]);
  }
  return rows.length > 1 ? table(rows) : 'No servers configured: add some to the config file.';
}

/**
 * What `serve` prints about a reload of the config file: the problems of a file it refused, with
 * their JSON paths (the last good configuration keeps running), or what a valid one changed.
 * Undefined when there is nothing to say.
 */
export function describeReload(result: ReloadResult, configPath: string): { text: string; error: boolean } | undefined {
  if (!result.ok) {
    const issues = (result.issues ?? []).map((issue) => `  ${issue.path}: ${issue.message}`).join('\n');
    return { text: `config ${configPath} not applied (the last good configuration keeps running):\n${issues}`, error: true };
  }
  const diff = result.diff;
  if (!diff) return undefined;
  const names = (servers: readonly { name: string }[]) => servers.map((server) => server.name).join(', ');
  const parts = [
    diff.added.length ? `added ${names(diff.added)}` : '',
    diff.removed.length ? `removed ${diff.removed.join(', ')}` : '',
    diff.restarted.length ? `restarted ${names(diff.restarted)}` : '',
    diff.enabled.length ? `enabled ${names(diff.enabled)}` : '',
    diff.disabled.length ? `disabled ${names(diff.disabled)}` : '',
    diff.updated.length ? `updated ${names(diff.updated)}` : '',
    diff.orch.length ? `orch.${diff.orch.join(', orch.')}` : '',
  ].filter(Boolean);
  if (parts.length === 0) return undefined;
  const restart = result.needsRestart?.length ? `; ${result.needsRestart.join(' and ')} take effect after a restart of the daemon` : '';
  return { text: `config reloaded: ${parts.join('; ')}${restart}`, error: false };
}

export async function serve(options: ServeOptions): Promise<void> {
  let runtime: Runtime;
  try {
    runtime = await createRuntime({
      configPath: options.config,
      port: options.port,
      host: options.host,
      mode: options.mode,
      version: orchVersion(),
    });
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `mcp-orch: ${(error as Error).message}`);
    process.exitCode = error instanceof ConfigError ? 2 : 1;
    return;
  }
  console.log(`MCP Orch ${orchVersion()}`);
  console.log(`config:    ${runtime.configPath}${runtime.createdConfig ? ' (created with an example server)' : ''}`);
  console.log(`logs:      ${runtime.logDir}`);
  console.log(`dashboard: ${runtime.url}/?access_token=${runtime.sessionToken}`);
  console.log(`mode:      ${runtime.mode}${runtime.mode === 'batch' ? ' (batch_execute offered on every endpoint)' : ''}`);
  console.log(`MCP Orch listening on ${runtime.url}`);

  let stopping = false;
  runtime.hotReload.onDidReload((result) => {
    const said = describeReload(result, runtime.configPath);
    if (said?.error) console.error(said.text);
    else if (said) console.log(said.text);
  });
  runtime.supervisor.onDidChangeState(({ status, previous }) => {
    if (stopping || previous === 'stopped' || status.state === 'starting') return;
    console.log(`[${status.name}] ${describe(status)}`);
  });
  await runtime.ready;
  console.log(`\n${endpointTable(runtime)}\n`);
  console.log('Every endpoint needs a token: `npx mcp-orch token create --name <client> --role operator`,');
  console.log('then `npx mcp-orch client-config <client> --token <token>` prints the configuration to paste.');
  console.log('\nPress Ctrl-C to stop.');

  const stop = (signal: string) => {
    if (stopping) {
      console.error('Forced exit.');
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: stopping servers…`);
    runtime.dispose().then(
      () => {
        console.log('Stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`mcp-orch: stop failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
