/**
 * The seam between a client-facing transport (Streamable HTTP, legacy SSE) and the MCP logic of one
 * client session. The transport owns the HTTP side; the session handler owns the MCP side.
 */
import type { RequestId, RpcMessage } from '../protocol/jsonrpc.js';

/** What a session handler uses to talk to its client. Implemented by the transports. */
export interface DownstreamChannel {
  /** The transport's session id (Mcp-Session-Id, or the legacy SSE sessionId). */
  readonly sessionId: string;
  /** The id of the key that opened the session; only that key may use it. */
  readonly owner: string;
  /**
   * Sends a message to the client. `relatedRequestId` names the client request it belongs to
   * (Streamable HTTP then sends it on that request's stream); responses relate to their own id.
   */
  send(message: RpcMessage, relatedRequestId?: RequestId): void;
  /** The client request `requestId` will get no response (the client cancelled it): release what waits for one. */
  abandon(requestId: RequestId): void;
  /** Ends the session from the server side. */
  close(): void;
}

/** The MCP side of one client session. Implemented by the proxy and aggregate sessions. */
export interface SessionHandler {
  /** Handles one message from the client, already checked to be JSON-RPC 2.0. */
  handle(message: RpcMessage): void;
  /** The transport session ended (DELETE, disconnect, idle expiry): release everything. Called once. */
  close(): void;
}

/** Makes the handler of a new session on one endpoint. */
export type SessionFactory = (channel: DownstreamChannel) => SessionHandler;
