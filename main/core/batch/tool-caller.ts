/** What batch runs need of the servers a caller can reach: nothing more of the supervisor. */
import type { UpstreamPeer } from '../supervisor/upstream-peer.js';
import type { ToolResult } from './references.js';

export interface ToolCaller {
  /**
   * Calls `tool` of `server` as a request of `peer`. Rejects with an Error whose message says why
   * (the server's error, a cancellation); aborting `signal` cancels the call upstream.
   */
  call(server: string, tool: string, args: Record<string, unknown>, peer: UpstreamPeer, signal: AbortSignal): Promise<ToolResult>;
  /** The server's per-call timeout and the tools it may run without approval; undefined when it is not configured. */
  settings(server: string): { timeoutMs: number; autoApprove: readonly string[] } | undefined;
}
