/** Test support: starts `oauth-server.mjs` (a remote MCP server with its own authorization server). */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface OAuthFixture {
  /** The MCP endpoint. */
  url: string;
  /** Its origin, where `/admin/*` is. */
  base: string;
  stop(): void;
}

export async function startOAuthServer(args: string[] = []): Promise<OAuthFixture> {
  const script = new URL('./oauth-server.mjs', import.meta.url).pathname;
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const { url, base } = JSON.parse(line) as { url: string; base: string };
  return { url, base, stop: () => child.kill() };
}
