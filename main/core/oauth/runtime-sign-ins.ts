/**
 * Sign-in as the daemon runs it: the private store (`<data>/oauth.json`, 0600; the desktop app
 * encrypts its values with the OS keychain), the redirect URI on the daemon's own loopback address,
 * the browser, and what happens to a server when its sign-in changes or completes.
 */
import { join } from 'node:path';
import { FileSecrets, PLAIN_CODEC, type SecretCodec } from '../secrets/file-secrets.js';
import { systemBrowser } from './browser.js';
import { CALLBACK_PATH } from './callback-route.js';
import { OAuthStore } from './oauth-store.js';
import { SignIns } from './sign-ins.js';

/** What sign-in needs of the servers' supervisors (by name). */
export interface SignInServers {
  get(
    name: string,
  ):
    | {
        readonly state: string;
        readonly logs: { append(stream: 'system', line: string): void };
        signInChanged(): void;
        restart(): Promise<void>;
      }
    | undefined;
}

export interface RuntimeSignInOptions {
  dataDir: string;
  env: Record<string, string | undefined>;
  version: string;
  /** How stored values are protected; plain (in a 0600 file) by default. */
  codec?: SecretCodec | undefined;
  /** Opens the system browser; default: `BROWSER`, else the platform's opener. */
  openBrowser?: ((url: string) => Promise<boolean>) | undefined;
  /** `http://host:port` of the daemon, once it listens. */
  baseUrl(): string;
  /** The servers' supervisors, told when a sign-in changes. */
  supervisor(): SignInServers;
}

export function createSignIns(options: RuntimeSignInOptions): SignIns {
  const file = new FileSecrets({
    path: join(options.dataDir, 'oauth.json'),
    codec: options.codec ?? PLAIN_CODEC,
    source: 'file',
    howToSet: () => 'sign in to the server',
  });
  const signIns = new SignIns({
    store: new OAuthStore(file),
    redirectUrl: () => redirectUrlOf(options.baseUrl()),
    version: options.version,
    openBrowser: options.openBrowser ?? systemBrowser(options.env),
    log: (server, line) => options.supervisor().get(server)?.logs.append('system', line),
  });
  signIns.onDidChange((server) => options.supervisor().get(server)?.signInChanged());
  return signIns;
}

/** After a completed sign-in: a server that waited for it connects again; a running one just uses the new token. */
export function afterSignIn(supervisor: SignInServers, name: string): void {
  const server = supervisor.get(name);
  if (!server) return;
  if (server.state === 'running') server.signInChanged();
  else if (server.state !== 'disabled') void server.restart();
}

/** The redirect URI: the daemon's callback on a loopback address the browser can reach. */
export function redirectUrlOf(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = '127.0.0.1';
  return new URL(CALLBACK_PATH, url).toString();
}
