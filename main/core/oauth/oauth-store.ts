/**
 * Where MCP Orch keeps what a sign-in to a remote server leaves: tokens, the client it registered,
 * and what discovery found. One record per server, bound to the server's URL: a record made for
 * another URL is never used. Records live in a private secrets store (the OS keychain's encryption
 * in the desktop app, a 0600 file when headless), never in the config file, and are read only here.
 */
import { createHash } from 'node:crypto';
import type { OAuthDiscoveryState, StoredOAuthClientInformation, StoredOAuthTokens } from '@modelcontextprotocol/client';
import type { SecretProvider } from '../secrets/secret-provider.js';

export interface OAuthRecord {
  /** The server URL the record was made for. */
  url: string;
  tokens?: StoredOAuthTokens;
  /** When the tokens were saved (ms epoch): `expires_in` counts from here. */
  tokensAt?: number;
  /** A client MCP Orch registered (dynamic registration) or named by a metadata document URL. */
  client?: StoredOAuthClientInformation;
  /** The redirect URI the client was registered with: a registration for another one is not reused. */
  clientRedirectUri?: string;
  discovery?: OAuthDiscoveryState;
  resource?: string;
  /** The scopes asked for last (kept to ask for their union on a step-up). */
  scope?: string;
}

/** The store a record goes to: the part of `SecretProvider` that reads and writes. */
export type RecordStore = Pick<SecretProvider, 'get' | 'set' | 'delete'>;

/** The secret name of a server's record: readable, and unique for any server name. */
export function recordName(server: string): string {
  const readable = server.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 60);
  const digest = createHash('sha256').update(server).digest('hex').slice(0, 10);
  return `oauth_${readable}_${digest}`;
}

export class OAuthStore {
  /** Updates run one after another, so that two changes of a record never lose one. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: RecordStore) {}

  /** The server's record for `url`; an empty one when there is none, or it was made for another URL. */
  read(server: string, url: string): OAuthRecord {
    const text = this.store.get(recordName(server));
    if (text === undefined) return { url };
    try {
      const record = JSON.parse(text) as OAuthRecord;
      return record && typeof record === 'object' && record.url === url ? record : { url };
    } catch {
      return { url };
    }
  }

  /** Changes the server's record; an empty record is removed. */
  update(server: string, url: string, change: (record: OAuthRecord) => OAuthRecord): Promise<OAuthRecord> {
    return this.enqueue(async () => {
      const next = change(this.read(server, url));
      const { url: _url, ...rest } = next;
      if (Object.values(rest).every((value) => value === undefined)) await this.store.delete(recordName(server));
      else await this.store.set(recordName(server), JSON.stringify(next));
      return next;
    });
  }

  remove(server: string): Promise<void> {
    return this.enqueue(async () => {
      await this.store.delete(recordName(server));
    });
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
