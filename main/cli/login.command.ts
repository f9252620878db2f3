/**
 * `mcp-orch login <server> [--no-browser]`: signs in to a remote server that asks for it (OAuth).
 * The daemon opens the browser (or, with --no-browser, prints the link for a person to open), then
 * this waits, bounded, until the server runs signed in, or says why the sign-in failed.
 * `mcp-orch logout <server>`: forgets the server's tokens.
 */
import { Command } from 'commander';
import { operations } from '../../shared/api/operations.js';
import { CliError, callApi, connect, runCommand, withApiOptions, type ApiOptions, type Connection } from './api-client.js';

/** How long `login` waits for the browser's sign-in before it gives up. */
export const LOGIN_WAIT_MS = 5 * 60_000;
const POLL_MS = 500;

type Status = Awaited<ReturnType<typeof status>>;

const status = (connection: Connection, name: string) => callApi(connection, operations['servers.status'], { name });

/** Where a sign-in in progress stands: done, failed (with why), or still waiting. */
export function signInOutcome(server: Pick<Status, 'state' | 'lastError' | 'signIn'>): 'done' | 'waiting' | { failed: string } {
  const signIn = server.signIn;
  if (signIn?.pending) return 'waiting';
  if (server.state === 'running' && !signIn?.problem) return 'done';
  if (server.state === 'starting' || (server.state === 'needs-sign-in' && signIn?.signedIn)) return 'waiting';
  return { failed: signIn?.problem ?? server.lastError ?? `the server is ${server.state}` };
}

async function waitForSignIn(connection: Connection, name: string, deadline: number): Promise<'done' | { failed: string }> {
  for (;;) {
    const outcome = signInOutcome(await status(connection, name));
    if (outcome !== 'waiting') return outcome;
    if (Date.now() >= deadline)
      return { failed: `no sign-in within ${LOGIN_WAIT_MS / 60_000} minutes: run \`mcp-orch login ${name}\` again` };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export function loginCommand(): Command {
  return withApiOptions(
    new Command('login')
      .description('sign in to a remote server that asks for it (opens the browser; admin key)')
      .argument('<server>', 'the server to sign in to')
      .option('--no-browser', 'print the sign-in link instead of opening the browser'),
  ).action((name: string, options: ApiOptions & { browser: boolean }) =>
    runCommand('login', options, async () => {
      const connection = await connect(options);
      const started = await callApi(connection, operations['servers.signIn'], { name, openBrowser: options.browser });
      if (started.status === 'signed-in') {
        if (!options.json) console.log(`${name}: signed in (a saved sign-in sufficed)`);
      } else if (!options.json) {
        console.log(
          started.opened
            ? `A browser opened to sign in to ${name}; if not, open: ${started.authorizationUrl}`
            : `Open this URL to sign in to ${name}: ${started.authorizationUrl}`,
        );
        console.log('Waiting for the sign-in… (Ctrl-C stops waiting)');
      } else console.log(JSON.stringify(started));
      const outcome = await waitForSignIn(connection, name, Date.now() + LOGIN_WAIT_MS);
      if (outcome !== 'done') throw new CliError(`${name}: the sign-in did not complete: ${outcome.failed}`, 'server_unavailable');
      const server = await status(connection, name);
      if (options.json) console.log(JSON.stringify(server, null, 2));
      else console.log(`${name}: signed in${server.signIn?.scope ? ` (scope: ${server.signIn.scope})` : ''}, ${server.state}`);
    }),
  );
}

export function logoutCommand(): Command {
  return withApiOptions(
    new Command('logout').description("forget a remote server's sign-in (admin key)").argument('<server>', 'the server to sign out of'),
  ).action((name: string, options: ApiOptions) =>
    runCommand('logout', options, async () => {
      const connection = await connect(options);
      const server = await callApi(connection, operations['servers.signOut'], { name });
      if (options.json) console.log(JSON.stringify(server, null, 2));
      else console.log(`${name}: signed out; ${server.state}${server.lastError ? ` (${server.lastError})` : ''}`);
    }),
  );
}
