/**
 * Bounds what clients that do not read can make the daemon hold. Node queues every write a socket
 * cannot take yet, and keeps an ended response's body until the client reads it, so a stalled
 * client would grow the daemon without limit. One ledger serves every MCP endpoint (both
 * transports, each server's URL and the aggregate) and watches every response it writes to a
 * client, JSON answers and SSE streams alike, until the client has it all:
 * - a stream over `sendQueueChars` for longer than `sendGraceMs`, or over `sendHardChars` at once,
 *   is closed, and the calls it carried are cancelled upstream;
 * - a session whose streams together hold more than `sendSessionChars` for longer than the grace,
 *   or twice that at once, is closed;
 * - while all of them together hold more than `sendTotalChars` for longer than the grace, the
 *   sessions holding the most are closed until the rest fit.
 * Each closing is logged with the session, its key and the bytes waiting. A client that reads only
 * slowly drains below the limits in time and is left alone.
 */
import type { ServerResponse } from 'node:http';
import type { McpLimits } from './limits.js';

export type SendLimits = Pick<McpLimits, 'sendQueueChars' | 'sendGraceMs' | 'sendHardChars' | 'sendSessionChars' | 'sendTotalChars'>;

/** The session a response belongs to, and how to give it up. */
export interface SendSession {
  readonly transport: string;
  readonly sessionId: string;
  /** The key id that opened the session. */
  readonly owner: string;
  /** The session has one stream only (legacy SSE): closing it closes the session. */
  readonly singleStream?: boolean;
  /** Ends the session: its calls are cancelled upstream. */
  close(): void;
}

interface Entry {
  res: ServerResponse;
  session: SendSession;
  /** Closes this one response: ends what it carried, cancels its calls upstream. */
  closeStream: () => void;
  overSince?: number;
}

const mb = (chars: number) => (chars / 1024 / 1024).toFixed(1);

export class SendLedger {
  private readonly entries = new Map<ServerResponse, Entry>();
  /** The watched responses of each session. */
  private readonly bySession = new Map<SendSession, Set<Entry>>();
  private readonly sessionOverSince = new Map<SendSession, number>();
  private totalOverSince: number | undefined;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly limits: SendLimits,
    private readonly log: (line: string) => void,
  ) {}

  /** Characters written to clients and not yet taken by them, over every watched response. */
  get waiting(): number {
    let total = 0;
    for (const entry of this.entries.values()) total += entry.res.writableLength;
    return total;
  }

  /**
   * Watches `res` until the client has all of it or it closes. An ended response that the client
   * already took whole is not watched at all.
   */
  track(res: ServerResponse, session: SendSession, closeStream: () => void): void {
    if (this.entries.has(res) || res.destroyed || res.writableFinished) return;
    if (res.writableEnded && res.writableLength === 0) return;
    const entry: Entry = { res, session, closeStream };
    this.entries.set(res, entry);
    const streams = this.bySession.get(session) ?? new Set<Entry>();
    streams.add(entry);
    this.bySession.set(session, streams);
    const untrack = () => this.untrack(res);
    res.once('finish', untrack);
    res.once('close', untrack);
    this.sweeper ??= setInterval(() => this.sweep(), Math.max(10, Math.min(1_000, this.limits.sendGraceMs / 2)));
    this.sweeper.unref();
  }

  /**
   * Call after writing `size` characters to a watched response: what is far over its bounds goes at
   * once. Only what waits behind that message counts here, so one large message to a client that
   * reads is never cut; the sweep judges the rest after the grace.
   */
  wrote(res: ServerResponse, size: number): void {
    const entry = this.entries.get(res);
    if (!entry) return;
    const queued = res.writableLength;
    if (queued - size > this.limits.sendHardChars) {
      this.closeStream(entry, queued, `more than ${mb(this.limits.sendHardChars)} MB`);
      return;
    }
    if (queued === 0) return;
    const held = this.sessionWaiting(entry.session);
    if (held - size > 2 * this.limits.sendSessionChars)
      this.closeSession(entry.session, held, `more than twice the ${mb(this.limits.sendSessionChars)} MB a session may hold`);
  }

  dispose(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.entries.clear();
    this.bySession.clear();
    this.sessionOverSince.clear();
  }

  private untrack(res: ServerResponse): void {
    this.forget(res);
    if (this.entries.size > 0 || !this.sweeper) return;
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.sessionOverSince.clear();
    this.totalOverSince = undefined;
  }

  private forget(res: ServerResponse): void {
    const entry = this.entries.get(res);
    if (!entry) return;
    this.entries.delete(res);
    const streams = this.bySession.get(entry.session);
    streams?.delete(entry);
    if (streams?.size === 0) this.bySession.delete(entry.session);
  }

  private sessionWaiting(session: SendSession): number {
    let held = 0;
    for (const entry of this.bySession.get(session) ?? []) held += entry.res.writableLength;
    return held;
  }

  /** Checks every watched response, its session and the total against the bounds held for longer than the grace. */
  private sweep(): void {
    const now = Date.now();
    const grace = this.limits.sendGraceMs;
    const waitingBySession = new Map<SendSession, number>();
    let total = 0;
    for (const entry of [...this.entries.values()]) {
      const queued = entry.res.writableLength;
      if (queued > this.limits.sendQueueChars) {
        entry.overSince ??= now;
        if (now - entry.overSince >= grace) {
          this.closeStream(entry, queued, `more than ${mb(this.limits.sendQueueChars)} MB for longer than ${grace / 1000} s`);
          continue;
        }
      } else entry.overSince = undefined;
      waitingBySession.set(entry.session, (waitingBySession.get(entry.session) ?? 0) + queued);
      total += queued;
    }
    for (const [session, held] of waitingBySession) {
      if (held <= this.limits.sendSessionChars) {
        this.sessionOverSince.delete(session);
        continue;
      }
      const since = this.sessionOverSince.get(session) ?? now;
      this.sessionOverSince.set(session, since);
      if (now - since < grace) continue;
      this.closeSession(session, held, `more than ${mb(this.limits.sendSessionChars)} MB for longer than ${grace / 1000} s`);
      waitingBySession.delete(session);
      total -= held;
    }
    for (const session of this.sessionOverSince.keys()) if (!waitingBySession.has(session)) this.sessionOverSince.delete(session);
    if (total <= this.limits.sendTotalChars) {
      this.totalOverSince = undefined;
      return;
    }
    this.totalOverSince ??= now;
    if (now - this.totalOverSince < grace) return;
    // The sessions holding the most go first, until the rest fit.
    for (const [session, held] of [...waitingBySession].sort((a, b) => b[1] - a[1])) {
      if (total <= this.limits.sendTotalChars) break;
      const reason = `all clients together held ${mb(total)} MB, more than ${mb(this.limits.sendTotalChars)} MB for longer than ${grace / 1000} s`;
      this.closeSession(session, held, reason);
      total -= held;
    }
    this.totalOverSince = undefined;
  }

  private closeStream(entry: Entry, queued: number, reason: string): void {
    const { session } = entry;
    const what = session.singleStream ? `${session.transport} session` : `a ${session.transport} stream of session`;
    this.log(
      `mcp-orch: closing ${what} ${session.sessionId} (key ${session.owner}): its client is not reading ` +
        `(${mb(queued)} MB waiting to be sent, ${reason})`,
    );
    this.forget(entry.res);
    entry.closeStream();
    entry.res.destroy();
  }

  private closeSession(session: SendSession, held: number, reason: string): void {
    const streams = [...(this.bySession.get(session) ?? [])];
    this.log(
      `mcp-orch: closing ${session.transport} session ${session.sessionId} (key ${session.owner}): its client is not reading ` +
        `(${mb(held)} MB waiting to be sent on ${streams.length} stream${streams.length === 1 ? '' : 's'}, ${reason})`,
    );
    this.sessionOverSince.delete(session);
    for (const entry of streams) this.forget(entry.res);
    session.close();
    for (const entry of streams) entry.res.destroy();
  }
}
