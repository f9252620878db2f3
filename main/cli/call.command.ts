/** `mcp-orch call <server> <tool> --args '<json>'`: calls one tool through the daemon. */
import { Command, InvalidArgumentError } from 'commander';
import { operations } from '../../shared/api/operations.js';
import { callApi, connect, runCommand, withApiOptions, type ApiOptions } from './api-client.js';

interface CallOptions extends ApiOptions {
  args: Record<string, unknown>;
  timeout?: number;
}

function jsonObject(value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new InvalidArgumentError(`not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new InvalidArgumentError('expected a JSON object, e.g. \'{"text":"hi"}\'');
  return parsed as Record<string, unknown>;
}

function milliseconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of milliseconds');
  return n;
}

/** The text of a result's content, one block a line; other blocks as JSON. */
function contentText(content: readonly { type: string; text?: unknown }[]): string {
  return content.map((block) => (block.type === 'text' && typeof block.text === 'string' ? block.text : JSON.stringify(block))).join('\n');
}

export function callCommand(): Command {
  return withApiOptions(
    new Command('call')
      .description('call one tool of a server and print its result')
      .argument('<server>', 'the server, as in mcpServers')
      .argument('<tool>', "the tool's name on that server")
      .option('-a, --args <json>', 'the arguments, a JSON object', jsonObject, {})
      .option('--timeout <ms>', "give up after this long (default: the server's timeout)", milliseconds),
  ).action((server: string, tool: string, options: CallOptions) =>
    runCommand('call', options, async () => {
      const connection = await connect(options);
      const { result, durationMs } = await callApi(connection, operations['tools.call'], {
        server,
        tool,
        arguments: options.args,
        timeoutMs: options.timeout,
      });
      if (options.json) console.log(JSON.stringify({ result, durationMs }, null, 2));
      else {
        const text = contentText(result.content);
        if (text) (result.isError ? console.error : console.log)(text);
        if (result.structuredContent !== undefined && !result.isError) console.log(JSON.stringify(result.structuredContent, null, 2));
      }
      if (result.isError) {
        if (!options.json) console.error(`mcp-orch call: ${server}/${tool} reported an error`);
        process.exitCode = 1;
      }
    }),
  );
}
