/** `mcp-orch servers [start|stop|restart|enable|disable <name>]`: list servers, or act on one. */
import { Command } from 'commander';
import { operations } from '../../shared/api/operations.js';
import { CliError, EXIT, callApi, connect, runCommand, withApiOptions, type ApiOptions } from './api-client.js';
import { serverTable } from './status.command.js';

export const SERVER_ACTIONS = ['start', 'stop', 'restart', 'enable', 'disable'] as const;
type ServerAction = (typeof SERVER_ACTIONS)[number];

const isAction = (value: string): value is ServerAction => (SERVER_ACTIONS as readonly string[]).includes(value);

export function serversCommand(): Command {
  return withApiOptions(
    new Command('servers')
      .description(`list the servers, or ${SERVER_ACTIONS.join('/')} one`)
      .argument('[action]', SERVER_ACTIONS.join(' | '))
      .argument('[name]', 'the server to act on'),
  ).action((action: string | undefined, name: string | undefined, options: ApiOptions) =>
    runCommand('servers', options, async () => {
      const connection = await connect(options);
      if (action === undefined) {
        const { servers } = await callApi(connection, operations['servers.list'], {});
        console.log(options.json ? JSON.stringify(servers, null, 2) : serverTable(servers));
        return;
      }
      if (!isAction(action))
        throw new CliError(`unknown action "${action}": expected one of ${SERVER_ACTIONS.join(', ')}`, 'bad_request', EXIT.usage);
      if (name === undefined) throw new CliError(`which server? \`mcp-orch servers ${action} <name>\``, 'bad_request', EXIT.usage);
      const server = await callApi(connection, operations[`servers.${action}`], { name });
      if (options.json) console.log(JSON.stringify(server, null, 2));
      else console.log(`${server.name}: ${server.state}${server.lastError && server.state !== 'running' ? ` (${server.lastError})` : ''}`);
    }),
  );
}
