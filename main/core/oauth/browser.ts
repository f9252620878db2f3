/**
 * Opens the system browser at a sign-in page. `BROWSER` in the environment names the command to
 * use instead (as many tools honour it); its words are split on spaces, `%s` stands for the URL
 * (else the URL is appended). No shell ever sees the URL: it comes from a remote server's metadata.
 */
import { spawn } from 'node:child_process';

/** The command that opens `url` here: `BROWSER`, else the platform's opener. */
export function browserCommand(url: string, env: Record<string, string | undefined>, platform: NodeJS.Platform): [string, string[]] {
  const custom = env.BROWSER?.trim();
  if (custom) {
    const [command, ...args] = custom.split(/\s+/);
    const withUrl = args.some((arg) => arg.includes('%s')) ? args.map((arg) => arg.replaceAll('%s', url)) : [...args, url];
    return [command!, withUrl];
  }
  if (platform === 'darwin') return ['open', [url]];
  if (platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler', url]];
  return ['xdg-open', [url]];
}

/** A function that opens http(s) URLs in the browser; resolves false when no browser could be started. */
export function systemBrowser(
  env: Record<string, string | undefined> = process.env,
  platform = process.platform,
): (url: string) => Promise<boolean> {
  return (url) => {
    if (!/^https?:\/\//i.test(url)) return Promise.resolve(false);
    const [command, args] = browserCommand(url, env, platform);
    return new Promise((resolve) => {
      const child = spawn(command, args, { detached: true, stdio: 'ignore', env: env });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    });
  };
}
