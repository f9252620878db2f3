/**
 * The SDK's `OAuthClientProvider` for one remote server: what the SDK's `auth()` and its transports
 * ask of a client (its identity, its stored tokens and registration, where the browser comes back),
 * answered from MCP Orch's private store. Two kinds are made:
 * - the connection's provider, used by the transports: it never opens a browser. When the SDK would
 *   send the user to sign in, it only tells `onSignInNeeded`, and the request fails with that reason.
 * - a sign-in's provider, made when an admin starts one: it keeps that sign-in's `state` and PKCE
 *   verifier, and hands the authorization URL to whoever opens the browser.
 */
import { randomBytes } from 'node:crypto';
import type {
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import type { ResolvedOAuth } from '../config/config-loader.js';
import type { OAuthStore } from './oauth-store.js';

export type { ResolvedOAuth };

export interface ServerOAuthOptions {
  server: string;
  url: string;
  settings: ResolvedOAuth;
  /** `http://127.0.0.1:<port>/oauth/callback`. */
  redirectUrl: string;
  store: OAuthStore;
  version: string;
}

/** What a sign-in in progress keeps: its `state`, and what the SDK gives it (the verifier, the URL). */
export interface SignInAttempt {
  state: string;
  verifier?: string;
  authorizationUrl?: URL;
}

export class ServerOAuth implements OAuthClientProvider {
  /** Set when the SDK dropped saved tokens, so the next redirect says the sign-in was refused. */
  tokensRefused = false;

  constructor(
    private readonly options: ServerOAuthOptions,
    /** The sign-in this provider serves; none: the connection's provider. */
    private readonly attempt: SignInAttempt | undefined,
    /** Called (connection's provider only) when the SDK wants to send the user to sign in. */
    private readonly onSignInNeeded: (authorizationUrl: URL) => void = () => undefined,
  ) {}

  get redirectUrl(): string {
    return this.options.redirectUrl;
  }

  get clientMetadataUrl(): string | undefined {
    return this.options.settings.clientId ? undefined : this.options.settings.clientMetadataUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    const { scopes } = this.options.settings;
    return {
      client_name: 'MCP Orch',
      software_id: 'dev.mcp-orch',
      software_version: this.options.version,
      redirect_uris: [this.options.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // A desktop app cannot keep a secret: a public client, proven by PKCE.
      token_endpoint_auth_method: 'none',
      ...(scopes?.length ? { scope: scopes.join(' ') } : {}),
    };
  }

  state(): string {
    // The connection's provider makes URLs no browser ever opens: a state nothing will accept.
    return this.attempt?.state ?? randomBytes(16).toString('base64url');
  }

  clientInformation(): StoredOAuthClientInformation | undefined {
    const { clientId, clientSecret, tokenEndpointAuthMethod } = this.options.settings;
    if (clientId) {
      return {
        client_id: clientId,
        ...(clientSecret ? { client_secret: clientSecret } : {}),
        ...(tokenEndpointAuthMethod ? { token_endpoint_auth_method: tokenEndpointAuthMethod } : {}),
      };
    }
    const record = this.record();
    if (!record.client) return undefined;
    // A registration made for another redirect URI (another port) would be refused: register again.
    if (record.clientRedirectUri !== undefined && record.clientRedirectUri !== this.options.redirectUrl && !isUrl(record.client.client_id))
      return undefined;
    return record.client;
  }

  async saveClientInformation(client: StoredOAuthClientInformation): Promise<void> {
    // A pre-registered client lives in the config; only what MCP Orch registered itself is kept.
    if (this.options.settings.clientId) return;
    await this.change((record) => ({ ...record, client, clientRedirectUri: this.options.redirectUrl }));
  }

  tokens(): StoredOAuthTokens | undefined {
    return this.record().tokens;
  }

  async saveTokens(tokens: StoredOAuthTokens): Promise<void> {
    this.tokensRefused = false;
    await this.change((record) => ({ ...record, tokens, tokensAt: Date.now(), ...(tokens.scope ? { scope: tokens.scope } : {}) }));
  }

  redirectToAuthorization(authorizationUrl: URL): void {
    if (this.attempt) this.attempt.authorizationUrl = authorizationUrl;
    else this.onSignInNeeded(authorizationUrl);
  }

  saveCodeVerifier(codeVerifier: string): void {
    if (this.attempt) this.attempt.verifier = codeVerifier;
  }

  codeVerifier(): string {
    if (!this.attempt?.verifier) throw new Error('no sign-in is in progress for this server');
    return this.attempt.verifier;
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    if (scope === 'verifier') {
      if (this.attempt) this.attempt.verifier = undefined;
      return;
    }
    if ((scope === 'all' || scope === 'tokens') && this.record().tokens) this.tokensRefused = true;
    await this.change((record) => ({
      ...record,
      ...(scope === 'all' || scope === 'tokens' ? { tokens: undefined, tokensAt: undefined } : {}),
      ...(scope === 'all' || scope === 'client' ? { client: undefined, clientRedirectUri: undefined } : {}),
      ...(scope === 'all' || scope === 'discovery' ? { discovery: undefined, resource: undefined } : {}),
    }));
  }

  async saveDiscoveryState(discovery: OAuthDiscoveryState): Promise<void> {
    await this.change((record) => ({ ...record, discovery }));
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.record().discovery;
  }

  async saveResourceUrl(resource: string): Promise<void> {
    await this.change((record) => ({ ...record, resource }));
  }

  resourceUrl(): string | undefined {
    return this.record().resource;
  }

  private record() {
    return this.options.store.read(this.options.server, this.options.url);
  }

  private change(update: Parameters<OAuthStore['update']>[2]) {
    return this.options.store.update(this.options.server, this.options.url, update);
  }
}

function isUrl(value: string): boolean {
  return /^https:\/\//.test(value);
}
