/** `mcp-orch tools`: the tool catalog of every server. */
import { Command } from 'commander';
import { operations } from '../../shared/api/operations.js';
import { callApi, connect, runCommand, table, withApiOptions, type ApiOptions } from './api-client.js';

interface ToolsOptions extends ApiOptions {
  server?: string;
  query?: string;
}

function oneLine(text: string | undefined, max = 60): string {
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function toolsCommand(): Command {
  return withApiOptions(
    new Command('tools')
      .description('list the tools of every server')
      .option('-s, --server <name>', 'only this server')
      .option('-q, --query <text>', 'search names and descriptions'),
  ).action((options: ToolsOptions) =>
    runCommand('tools', options, async () => {
      const connection = await connect(options);
      const { tools } = await callApi(connection, operations['tools.list'], { server: options.server, q: options.query });
      if (options.json) {
        console.log(JSON.stringify(tools, null, 2));
        return;
      }
      if (tools.length === 0) {
        console.log('No tools: no server is running, or none matches.');
        return;
      }
      const rows = [['SERVER', 'TOOL', 'AGGREGATED NAME', 'ENABLED', 'DESCRIPTION']];
      for (const tool of tools)
        rows.push([tool.server, tool.name, tool.aggregatedName ?? '-', tool.enabled ? 'yes' : 'no', oneLine(tool.description)]);
      console.log(table(rows));
    }),
  );
}
