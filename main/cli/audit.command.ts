/** `mcp-orch audit`: the audit log of the running daemon (admin keys and the session token only). */
import { Command, InvalidArgumentError, Option } from 'commander';
import { AUDIT_OUTCOMES } from '../../shared/api/operations/tokens.js';
import { operations } from '../../shared/api/operations.js';
import { callApi, connect, runCommand, table, when, withApiOptions, type ApiOptions } from './api-client.js';

interface AuditOptions extends ApiOptions {
  limit?: number;
  action?: string;
  key?: string;
  outcome?: (typeof AUDIT_OUTCOMES)[number];
}

function pageSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('expected a number from 1 to 1000');
  return n;
}

export function auditCommand(): Command {
  return withApiOptions(
    new Command('audit')
      .description('print the audit log, newest first: every mutating API call and every tool call')
      .option('-n, --limit <entries>', 'entries to print, 1 to 1000 (default 50)', pageSize)
      .option('--action <action>', 'only this action, or a prefix ending in *, e.g. servers.*')
      .option('--key <name>', "only this key's entries")
      .addOption(new Option('--outcome <outcome>', 'only this outcome').choices(AUDIT_OUTCOMES)),
  ).action((options: AuditOptions) =>
    runCommand('audit', options, async () => {
      const connection = await connect(options);
      const page = await callApi(connection, operations['audit.list'], {
        limit: options.limit ?? 50,
        action: options.action,
        keyName: options.key,
        outcome: options.outcome,
      });
      if (options.json) {
        console.log(JSON.stringify(page, null, 2));
        return;
      }
      if (page.items.length === 0) {
        console.log('No audit entries.');
        return;
      }
      const rows = [['TIME', 'KEY', 'ACTION', 'TARGET', 'OUTCOME']];
      for (const entry of page.items) rows.push([when(entry.time), entry.keyName ?? '-', entry.action, entry.target ?? '-', entry.outcome]);
      console.log(table(rows));
    }),
  );
}
