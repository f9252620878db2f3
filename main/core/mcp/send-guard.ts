/**
 * Bounds what one connection can make the daemon hold for a client that does not read: Node queues
 * every write a socket cannot take yet, so a stalled client would grow the daemon without limit.
 * Past `sendQueueChars` a grace period starts; still over it when the grace ends, or with more than
 * `sendHardChars` still waiting when another message is written, the connection is given up
 * (`onOverflow`). One large message to a client that reads is fine; a client that reads only slowly
 * drains below the limit in time and is left alone.
 */
import type { ServerResponse } from 'node:http';
import type { McpLimits } from './limits.js';

export class SendGuard {
  private timer: NodeJS.Timeout | undefined;
  private tripped = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly limits: Pick<McpLimits, 'sendQueueChars' | 'sendGraceMs' | 'sendHardChars'>,
    /** Called once, with what was waiting to be sent. */
    private readonly onOverflow: (queued: number) => void,
  ) {
    res.once('close', () => this.dispose());
  }

  /** Call after every write of `size` characters. */
  wrote(size: number): void {
    if (this.tripped) return;
    const queued = this.res.writableLength;
    if (queued <= this.limits.sendQueueChars) return;
    if (queued - size > this.limits.sendHardChars) return this.trip(queued);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const still = this.res.writableLength;
      if (still > this.limits.sendQueueChars) this.trip(still);
    }, this.limits.sendGraceMs);
    this.timer.unref();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private trip(queued: number): void {
    this.tripped = true;
    this.dispose();
    this.onOverflow(queued);
  }
}

/** The log line of a session given up on: which, and why. */
export function overflowMessage(
  transport: string,
  sessionId: string,
  owner: string,
  queued: number,
  limits: Pick<McpLimits, 'sendQueueChars' | 'sendGraceMs'>,
): string {
  const mb = (chars: number) => (chars / 1024 / 1024).toFixed(1);
  return (
    `mcp-orch: closing ${transport} session ${sessionId} (key ${owner}): its client is not reading ` +
    `(${mb(queued)} MB waiting to be sent, more than ${mb(limits.sendQueueChars)} MB for longer than ${limits.sendGraceMs / 1000} s or far over it)`
  );
}
