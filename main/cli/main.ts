#!/usr/bin/env node
/** The `mcp-orch` command. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { orchVersion } from '../core/shell-surface.js';
import { serve } from './serve.js';
import { clientConfigCommand } from './client-config.command.js';
import { tokenCommand } from './token.command.js';
import { batchCommand } from './batch.command.js';
import { planCommand } from './plan.command.js';
import { auditCommand } from './audit.command.js';
import { callCommand } from './call.command.js';
import { loginCommand, logoutCommand } from './login.command.js';
import { logsCommand } from './logs.command.js';
import { serversCommand } from './servers.command.js';
import { statusCommand } from './status.command.js';
import { toolsCommand } from './tools.command.js';

function portNumber(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return port;
}

const program = new Command()
  .name('mcp-orch')
  .description('Runs your local MCP servers, serves each at its own URL, aggregates them and batches tool calls.')
  .version(orchVersion());

program
  .command('serve')
  .description('run the daemon: start the configured servers and serve their endpoints')
  .option('-c, --config <path>', 'config file (default: $MCP_ORCH_CONFIG or the app-data mcp-config.json)')
  .option('-p, --port <number>', 'port to listen on (default: orch.port or 8000; 0 = any free port)', portNumber)
  .option('-H, --host <host>', 'address to bind (default: orch.host or 127.0.0.1)')
  .addOption(
    new Option('-m, --mode <mode>', 'proxy, or batch to offer batch_execute (default: orch.mode or proxy)').choices(['proxy', 'batch']),
  )
  .action(async (options: { config?: string; port?: number; host?: string; mode?: 'proxy' | 'batch' }) => {
    await serve(options);
  });

program.addCommand(clientConfigCommand());
program.addCommand(tokenCommand());
for (const command of [
  statusCommand(),
  serversCommand(),
  toolsCommand(),
  callCommand(),
  logsCommand(),
  auditCommand(),
  loginCommand(),
  logoutCommand(),
])
  program.addCommand(command);

program.addCommand(batchCommand());
program.addCommand(planCommand());

await program.parseAsync(process.argv);
