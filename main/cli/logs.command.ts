/** `mcp-orch logs <server>`: the newest lines of a server's log. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { LOG_STREAMS } from '../../shared/api/operations/servers.js';
import { operations } from '../../shared/api/operations.js';
import { callApi, connect, runCommand, when, withApiOptions, type ApiOptions } from './api-client.js';

interface LogsOptions extends ApiOptions {
  limit?: number;
  stream?: (typeof LOG_STREAMS)[number];
}

function lineCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('expected a number of lines from 1 to 1000');
  return n;
}

export function logsCommand(): Command {
  return withApiOptions(
    new Command('logs')
      .description("print the newest lines of a server's log (stderr, stray stdout, supervisor notes)")
      .argument('<server>', 'the server, as in mcpServers')
      .option('-n, --limit <lines>', 'lines to print, 1 to 1000 (default 200)', lineCount)
      .addOption(new Option('--stream <stream>', 'only this stream').choices(LOG_STREAMS)),
  ).action((server: string, options: LogsOptions) =>
    runCommand('logs', options, async () => {
      const connection = await connect(options);
      const { entries } = await callApi(connection, operations['servers.logs'], {
        name: server,
        limit: options.limit,
        stream: options.stream,
      });
      if (options.json) console.log(JSON.stringify(entries, null, 2));
      else if (entries.length === 0) console.log(`No log lines from "${server}" yet.`);
      else for (const entry of entries) console.log(`${when(entry.time)} [${entry.stream}] ${entry.line}`);
    }),
  );
}
