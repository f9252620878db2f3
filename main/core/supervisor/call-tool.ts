/**
 * Calls one tool on a server as a peer's request: the one place that turns "call this tool" into a
 * `tools/call` upstream, with an optional timeout and cancellation through a signal (both sent
 * upstream as `notifications/cancelled`). The `tools.call` operation and batch runs use it.
 */
import type { RequestId, RpcErrorObject } from '../protocol/jsonrpc.js';
import type { ServerSupervisor } from './server-supervisor.js';
import type { UpstreamPeer } from './upstream-peer.js';

/** `timeout`: the caller's time ran out; `cancelled`: the caller (or the server going away) ended it; `refused`: a JSON-RPC error. */
export type ToolCallFailure = 'timeout' | 'cancelled' | 'refused';

export class ToolCallError extends Error {
  constructor(
    readonly reason: ToolCallFailure,
    message: string,
    /** The server's error, for `refused`. */
    readonly rpcError?: RpcErrorObject,
  ) {
    super(message);
    this.name = 'ToolCallError';
  }
}

export interface ToolCallOptions {
  /** Whose request it is: the call log names it, and the server's notifications go back to it. */
  peer: UpstreamPeer;
  /** The peer's id for the request; unique among the peer's calls in flight. */
  id: RequestId;
  /** Aborting it cancels the call upstream; its reason (an Error) says why. */
  signal?: AbortSignal;
  /** Cancels the call after this long; none by default (the server's own timeout still applies). */
  timeoutMs?: number;
}

/** Calls `tool` of `server`; resolves with the `CallToolResult`, rejects with a `ToolCallError`. */
export async function callTool(
  server: ServerSupervisor,
  tool: string,
  args: Record<string, unknown>,
  options: ToolCallOptions,
): Promise<Record<string, unknown>> {
  const { peer, id, signal, timeoutMs } = options;
  let ended: 'timeout' | 'cancelled' | undefined;
  const end = (why: 'timeout' | 'cancelled', reason: string): void => {
    if (ended) return;
    ended = why;
    server.cancel(peer, id, reason);
  };
  const timer = timeoutMs !== undefined ? setTimeout(() => end('timeout', `timed out after ${timeoutMs} ms`), timeoutMs) : undefined;
  const onAbort = (): void => end('cancelled', signal?.reason instanceof Error ? signal.reason.message : 'cancelled');
  signal?.addEventListener('abort', onAbort, { once: true });
  let response;
  try {
    response = await server.forward({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: tool, arguments: args } }, peer);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
  if (ended === 'timeout') throw new ToolCallError('timeout', `timed out after ${timeoutMs} ms`);
  if (!response) throw new ToolCallError('cancelled', 'the call was cancelled');
  if ('error' in response) throw new ToolCallError('refused', response.error.message, response.error);
  return response.result;
}

/** What batch runs need of the servers a session can reach: calls and two settings (batch's `ToolCaller`). */
export function serverTools(serverFor: (name: string) => ServerSupervisor | undefined) {
  let nextId = 1;
  return {
    call(
      server: string,
      tool: string,
      args: Record<string, unknown>,
      peer: UpstreamPeer,
      signal: AbortSignal,
    ): Promise<Record<string, unknown>> {
      const target = serverFor(server);
      if (!target) return Promise.reject(new Error(`server "${server}" is not configured any more`));
      return callTool(target, tool, args, { peer, id: `batch-${nextId++}`, signal });
    },
    settings(server: string): { timeoutMs: number; autoApprove: readonly string[] } | undefined {
      const config = serverFor(server)?.config;
      return config && { timeoutMs: config.timeoutMs, autoApprove: config.autoApprove };
    },
  };
}
