/**
 * The `requestState` MCP Orch mints when it answers a 2026-07-28 client with `input_required`: an
 * opaque token the client hands back with its `inputResponses`. It names a call waiting inside this
 * daemon, and it is sealed: an HMAC-SHA256 with a key made when the daemon starts, over the handle,
 * the expiry, the key that asked and the endpoint it asked at. A state that was altered, minted for
 * another key or endpoint, minted by another daemon run, or past its expiry does not open.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Who may hand a state back: the key that got it, at the endpoint it got it from. */
export interface StateBinding {
  keyId: string;
  /** The endpoint: a server's name, '' for the aggregate. */
  scope: string;
}

export type OpenedState = { ok: true; handle: string } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

/** The longest token accepted: a handle and an expiry are far shorter. */
const MAX_TOKEN_LENGTH = 512;

export class RequestStateSeal {
  private readonly key: Buffer;

  constructor(
    key: Buffer = randomBytes(32),
    private readonly now: () => number = Date.now,
  ) {
    this.key = Buffer.from(key);
  }

  /** Seals `handle` for `binding`, good until `ttlMs` from now. */
  mint(handle: string, binding: StateBinding, ttlMs: number): string {
    const body = Buffer.from(JSON.stringify([1, handle, this.now() + ttlMs])).toString('base64url');
    return `${body}.${this.mac(body, binding)}`;
  }

  /** Opens a token handed back by a client: its handle, or why it is refused. */
  open(token: unknown, binding: StateBinding): OpenedState {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
    const dot = token.indexOf('.');
    if (dot <= 0) return { ok: false, reason: 'malformed' };
    const body = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.mac(body, binding), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
    let fields: unknown;
    try {
      fields = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (!Array.isArray(fields) || fields[0] !== 1 || typeof fields[1] !== 'string' || typeof fields[2] !== 'number') {
      return { ok: false, reason: 'malformed' };
    }
    if (this.now() > fields[2]) return { ok: false, reason: 'expired' };
    return { ok: true, handle: fields[1] };
  }

  private mac(body: string, binding: StateBinding): string {
    // Each part's length first: no two bindings can run into the same MAC input.
    const parts = [body, binding.keyId, binding.scope];
    const hmac = createHmac('sha256', this.key);
    for (const part of parts) hmac.update(`${Buffer.byteLength(part)}:`).update(part);
    return hmac.digest('base64url');
  }
}
