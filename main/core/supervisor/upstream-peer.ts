/**
 * The seam between one upstream server and the client sessions that use it. A peer is one
 * downstream client session (or, for batch runs later, an internal caller).
 */
import type { RequestId, RpcErrorObject, RpcNotification, RpcRequest } from '../protocol/jsonrpc.js';

/** What a client session answers to a server→client request. */
export type PeerReply = { result: Record<string, unknown> } | { error: RpcErrorObject };

export interface UpstreamPeer {
  /** The client session's id, for the call log. */
  readonly sessionId?: string;
  /** The client's name from `initialize` (clientInfo.name), for the call log. */
  readonly clientName?: string | undefined;
  /** The id and name of the key the client authenticated with, for the call log and the audit log. */
  readonly keyId?: string | undefined;
  readonly keyName?: string | undefined;
  /** Capabilities the peer's client declared in `initialize` (sampling, elicitation, roots…); undefined before. */
  readonly clientCapabilities: Record<string, unknown> | undefined;
  /**
   * Delivers a server notification. `relatedRequestId` is the peer's own id of the request the
   * notification belongs to (progress, logging during a call), when known.
   */
  deliverNotification(notification: RpcNotification, relatedRequestId?: RequestId): void;
  /**
   * Asks the peer's client a server→client request (sampling, elicitation, roots). Resolves with the
   * client's reply; `signal` aborts when the server cancels it. The peer assigns its own request id.
   */
  askClient(request: RpcRequest, relatedRequestId: RequestId | undefined, signal: AbortSignal): Promise<PeerReply>;
}
