/**
 * Sign-in to remote servers (the MCP authorization spec, OAuth 2.1 with PKCE), as MCP Orch runs it:
 * - connections never open a browser: when a server asks for a sign-in, the server's state says so,
 *   with the reason and what to do (`problem`);
 * - an admin starts a sign-in (`begin`): the SDK's `auth()` discovers the authorization server,
 *   picks the client identity (pre-registered, a metadata document URL, or dynamic registration) and
 *   makes the authorization URL, which the system browser opens;
 * - the browser comes back to the daemon's `/oauth/callback` (`complete`): the `state` there must
 *   be one this daemon made, unused and unexpired; the code is exchanged, the tokens are kept in the
 *   private store, and the server reconnects.
 * The SDK does the protocol (discovery, PKCE, `resource`, `iss`, scopes, refresh); this file decides
 * who may do what, when, and what a person is told.
 */
import { randomBytes } from 'node:crypto';
import type { OAuthClientProvider } from '@modelcontextprotocol/client';
import { Emitter } from '../events/emitter.js';
import type { OAuthStore } from './oauth-store.js';
import { ServerOAuth, type ResolvedOAuth, type SignInAttempt } from './server-oauth.js';
import { describeSignInFailure } from './sign-in-failures.js';

/** A remote server as sign-in needs it. */
export interface SignInServer {
  name: string;
  url: string;
  oauth: ResolvedOAuth;
}

/** How long a sign-in's link works. */
export const SIGN_IN_TTL_MS = 10 * 60_000;
/** Sign-ins waiting for their browser at once, over all servers: older ones are dropped first. */
export const MAX_PENDING_SIGN_INS = 16;

/** What a challenge (`WWW-Authenticate` of a 401 or 403) said. */
export interface Challenge {
  status: number;
  error?: string | undefined;
  scope?: string | undefined;
  resourceMetadataUrl?: URL | undefined;
}

/** Where a remote server's sign-in stands; never a token. */
export interface SignInStatus {
  signedIn: boolean;
  problem?: string;
  scope?: string;
  expiresAt?: number;
  pending: boolean;
}

export type BeginResult = { status: 'redirect'; authorizationUrl: string; expiresAt: number; opened: boolean } | { status: 'signed-in' };

interface Pending {
  server: SignInServer;
  /** The scopes this sign-in asked for. */
  scope: string | undefined;
  attempt: SignInAttempt;
  provider: ServerOAuth;
  expiresAt: number;
}

interface ServerState {
  problem?: string | undefined;
  challenge?: Challenge | undefined;
  /** The scopes the last completed sign-in asked for: a challenge for no more than these was not fixed by signing in. */
  signedInScope?: string | undefined;
}

export interface SignInsOptions {
  store: OAuthStore;
  /** `http://127.0.0.1:<port>/oauth/callback`. */
  redirectUrl(): string;
  version: string;
  /** Opens the system browser at `url`; false when none could be opened. */
  openBrowser(url: string): Promise<boolean>;
  /** A note in the server's log (never a token). */
  log(server: string, line: string): void;
  now?: () => number;
}

/** Why a sign-in's callback was refused, in words for the browser page. */
export class SignInError extends Error {
  constructor(
    message: string,
    readonly server?: string,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

export class SignIns {
  private readonly servers = new Map<string, ServerState>();
  private readonly pending = new Map<string, Pending>();
  /** Servers whose browser came back and whose code is being exchanged for tokens. */
  private readonly exchanging = new Set<string>();
  private readonly changeEmitter = new Emitter<string>();
  private readonly now: () => number;

  /** Fires with a server's name when its sign-in status changed. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(private readonly options: SignInsOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The provider a connection to `server` uses: it never opens a browser, it notes the need. */
  connectionProvider(server: SignInServer): OAuthClientProvider {
    const provider: ServerOAuth = new ServerOAuth(this.providerOptions(server), undefined, () => {
      this.setProblem(server.name, this.reasonToSignIn(server, provider));
    });
    return provider;
  }

  /** What a 401 or 403 with `WWW-Authenticate` from the server said (the scope to ask for next time). */
  noteChallenge(server: string, challenge: Challenge): void {
    const state = this.state(server);
    state.challenge = challenge;
  }

  /** The server refused a request's token even after a refresh: it needs a sign-in. Answers the reason shown. */
  refused(server: string, detail: string): string {
    const problem = `the server refused the sign-in (${detail}): sign in again`;
    this.setProblem(server, problem);
    return problem;
  }

  /**
   * The connection's sign-in flow failed before a browser was wanted (the authorization server
   * cannot register MCP Orch, say): a person must act first. Answers the reason shown.
   */
  failed(server: string, error: unknown): string {
    const problem = describeSignInFailure(error);
    this.setProblem(server, problem);
    return problem;
  }

  /** Why `server` needs a sign-in now, and what to do; undefined when it does not. */
  problem(server: string): string | undefined {
    return this.servers.get(server)?.problem;
  }

  status(server: SignInServer): SignInStatus {
    const record = this.options.store.read(server.name, server.url);
    const tokens = record.tokens;
    const expiresIn = typeof tokens?.expires_in === 'number' ? tokens.expires_in : undefined;
    const problem = this.problem(server.name);
    return {
      signedIn: Boolean(tokens?.access_token || tokens?.refresh_token),
      ...(problem ? { problem } : {}),
      ...(tokens?.scope ? { scope: tokens.scope } : {}),
      ...(expiresIn !== undefined && record.tokensAt !== undefined ? { expiresAt: record.tokensAt + expiresIn * 1000 } : {}),
      pending:
        this.exchanging.has(server.name) ||
        [...this.pending.values()].some((entry) => entry.server.name === server.name && entry.expiresAt > this.now()),
    };
  }

  /**
   * Starts a sign-in: answers the authorization URL (opened in the browser when `openBrowser`), or
   * `signed-in` when a saved refresh token sufficed. Throws `SignInError` with what went wrong.
   */
  async begin(server: SignInServer, { openBrowser = true }: { openBrowser?: boolean } = {}): Promise<BeginResult> {
    this.dropExpired();
    for (const [state, entry] of this.pending) if (entry.server.name === server.name) this.pending.delete(state);
    const attempt: SignInAttempt = { state: randomBytes(32).toString('base64url') };
    const provider = new ServerOAuth(this.providerOptions(server), attempt);
    const challenge = this.servers.get(server.name)?.challenge;
    const granted = this.options.store.read(server.name, server.url).scope;
    // A person's sign-in discovers afresh: the server may have moved to another authorization server.
    await this.options.store.update(server.name, server.url, (record) => ({ ...record, discovery: undefined }));
    const scope = unionOf(granted, challenge?.scope);
    let result: 'AUTHORIZED' | 'REDIRECT';
    try {
      const { auth } = await import('@modelcontextprotocol/client');
      result = await auth(provider, {
        serverUrl: server.url,
        ...(scope ? { scope } : {}),
        ...(challenge?.resourceMetadataUrl ? { resourceMetadataUrl: challenge.resourceMetadataUrl } : {}),
        // A person signing in to fix a problem (more scope, a refused token) authorizes anew: a
        // refresh could only hand back what the server refuses.
        forceReauthorization: challenge?.status === 403 || this.problem(server.name) !== undefined,
      });
    } catch (error) {
      const message = describeSignInFailure(error);
      this.options.log(server.name, `sign-in could not start: ${message}`);
      this.setProblem(server.name, message);
      throw new SignInError(message, server.name);
    }
    if (result === 'AUTHORIZED') {
      this.signedIn(server.name, scope);
      return { status: 'signed-in' };
    }
    if (!attempt.authorizationUrl) throw new SignInError('the authorization server gave no authorization URL', server.name);
    while (this.pending.size >= MAX_PENDING_SIGN_INS) this.pending.delete(this.pending.keys().next().value!);
    const expiresAt = this.now() + SIGN_IN_TTL_MS;
    this.pending.set(attempt.state, { server, scope, attempt, provider, expiresAt });
    const authorizationUrl = attempt.authorizationUrl.toString();
    const opened = openBrowser ? await this.options.openBrowser(authorizationUrl).catch(() => false) : false;
    this.options.log(server.name, `sign-in started${opened ? ': the browser was opened' : ''}`);
    this.changeEmitter.fire(server.name);
    return { status: 'redirect', authorizationUrl, expiresAt, opened };
  }

  /**
   * The browser's return to `/oauth/callback`: exchanges the code for tokens. Answers the server's
   * name; throws `SignInError` for a state this daemon did not make (or made and already used, or
   * that expired), an error from the authorization server, or a failed exchange.
   */
  async complete(query: URLSearchParams): Promise<string> {
    this.dropExpired();
    const state = query.get('state') ?? '';
    const entry = this.pending.get(state);
    if (!entry) throw new SignInError('this sign-in link is unknown, already used or expired: start the sign-in again');
    this.pending.delete(state);
    const { server } = entry;
    // Still pending while the code is exchanged: else a watcher sees "not signed in, nothing pending" and takes it for a failure.
    this.exchanging.add(server.name);
    try {
      return await this.exchange(entry, query);
    } finally {
      this.exchanging.delete(server.name);
      this.changeEmitter.fire(server.name);
    }
  }

  private async exchange({ server, provider, scope }: Pending, query: URLSearchParams): Promise<string> {
    const refused = query.get('error');
    if (refused) {
      const description = query.get('error_description');
      const message = `the authorization server refused the sign-in (${refused}${description ? `: ${description}` : ''}): start it again, or check the account`;
      this.setProblem(server.name, message);
      throw new SignInError(message, server.name);
    }
    const code = query.get('code');
    if (!code) throw new SignInError('the authorization server sent no code: start the sign-in again', server.name);
    try {
      const { auth } = await import('@modelcontextprotocol/client');
      const iss = query.get('iss');
      await auth(provider, {
        serverUrl: server.url,
        authorizationCode: code,
        ...(iss !== null ? { iss } : {}),
        ...(scope ? { scope } : {}),
      });
    } catch (error) {
      const message = describeSignInFailure(error);
      this.options.log(server.name, `sign-in failed: ${message}`);
      this.setProblem(server.name, message);
      throw new SignInError(message, server.name);
    }
    this.signedIn(server.name, scope);
    this.options.log(server.name, 'signed in');
    return server.name;
  }

  /** Forgets the server's tokens and registration; it needs a sign-in again. */
  async signOut(server: SignInServer): Promise<void> {
    for (const [state, entry] of this.pending) if (entry.server.name === server.name) this.pending.delete(state);
    await this.options.store.remove(server.name);
    this.servers.delete(server.name);
    this.setProblem(server.name, 'signed out: sign in to use this server again');
    this.options.log(server.name, 'signed out');
  }

  /** A server left the config: its pending sign-ins end (its saved sign-in stays, for the same URL). */
  forget(server: string): void {
    for (const [state, entry] of this.pending) if (entry.server.name === server) this.pending.delete(state);
    this.servers.delete(server);
  }

  dispose(): void {
    this.pending.clear();
    this.changeEmitter.dispose();
  }

  private providerOptions(server: SignInServer) {
    return {
      server: server.name,
      url: server.url,
      settings: server.oauth,
      redirectUrl: this.options.redirectUrl(),
      store: this.options.store,
      version: this.options.version,
    };
  }

  private state(server: string): ServerState {
    let state = this.servers.get(server);
    if (!state) this.servers.set(server, (state = {}));
    return state;
  }

  private setProblem(server: string, problem: string | undefined): void {
    const state = this.state(server);
    if (state.problem === problem) return;
    state.problem = problem;
    this.changeEmitter.fire(server);
  }

  private signedIn(server: string, scope: string | undefined): void {
    const state = this.state(server);
    state.signedInScope = scope;
    state.challenge = undefined;
    this.setProblem(server, undefined);
    this.changeEmitter.fire(server);
  }

  /** The reason a connection's request needs a sign-in, from what the server and the store said. */
  private reasonToSignIn(server: SignInServer, provider: ServerOAuth): string {
    const state = this.state(server.name);
    const challenge = state.challenge;
    if (challenge?.status === 403 && challenge.error === 'insufficient_scope') {
      const wanted = challenge.scope ? ` (scope "${challenge.scope}")` : '';
      if (state.signedInScope !== undefined && covers(state.signedInScope, challenge.scope))
        return `the server still refuses the permission it asks for${wanted} after a sign-in that asked for it: the account may not have it; ask the server's admin`;
      return `the server asks for more permission${wanted}: sign in again to grant it`;
    }
    if (provider.authorizationServerMoved) return 'the server moved to another authorization server: sign in again there';
    if (provider.tokensRefused) return 'the saved sign-in was refused (expired or revoked): sign in again';
    if (this.options.store.read(server.name, server.url).tokens) return 'the server refused the saved sign-in: sign in again';
    return 'the server asks you to sign in';
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [state, entry] of this.pending) {
      if (entry.expiresAt > now) continue;
      this.pending.delete(state);
      this.changeEmitter.fire(entry.server.name);
    }
  }
}

/** The union of space-separated scope lists, in first-seen order; undefined when both are empty. */
export function unionOf(...lists: (string | undefined)[]): string | undefined {
  const scopes = [...new Set(lists.flatMap((list) => (list ?? '').split(' ').filter(Boolean)))];
  return scopes.length ? scopes.join(' ') : undefined;
}

function covers(granted: string, wanted: string | undefined): boolean {
  const have = new Set(granted.split(' '));
  return (wanted ?? '')
    .split(' ')
    .filter(Boolean)
    .every((scope) => have.has(scope));
}
