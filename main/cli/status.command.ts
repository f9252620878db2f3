/** `mcp-orch status`: the running daemon's address, mode and servers. */
import { Command } from 'commander';
import type { z } from 'zod';
import { operations } from '../../shared/api/operations.js';
import type { serverSummarySchema } from '../../shared/api/operations/servers.js';
import { callApi, connect, runCommand, table, withApiOptions, type ApiOptions } from './api-client.js';

type ServerSummary = z.output<typeof serverSummarySchema>;

/** One line per server: state (with the last error when it is down), tools, pid, restarts. */
export function serverTable(servers: readonly ServerSummary[]): string {
  if (servers.length === 0) return 'No servers configured: add some to the config file.';
  const rows = [['SERVER', 'STATE', 'TOOLS', 'PID', 'RESTARTS', 'ENDPOINT']];
  for (const server of servers) {
    const state = server.lastError && server.state !== 'running' ? `${server.state}: ${server.lastError}` : server.state;
    rows.push([
      server.name,
      state,
      String(server.toolCount),
      String(server.pid ?? '-'),
      String(server.restarts),
      server.endpoints.streamableHttp,
    ]);
  }
  return table(rows);
}

export function statusCommand(): Command {
  return withApiOptions(new Command('status').description("the running daemon's mode and servers")).action((options: ApiOptions) =>
    runCommand('status', options, async () => {
      const connection = await connect(options);
      const [{ servers }, { mode }] = await Promise.all([
        callApi(connection, operations['servers.list'], {}),
        callApi(connection, operations['mode.get'], {}),
      ]);
      if (options.json) {
        console.log(JSON.stringify({ url: connection.baseUrl, mode, servers }, null, 2));
        return;
      }
      const running = servers.filter((server) => server.state === 'running').length;
      console.log(`MCP Orch at ${connection.baseUrl}: ${mode} mode, ${running} of ${servers.length} servers running\n`);
      console.log(serverTable(servers));
    }),
  );
}
