/** The REST caller as the upstream peer of its tool calls (direct or in a run). */
import { RpcErrorCode } from '../protocol/jsonrpc.js';
import type { UpstreamPeer } from '../supervisor/upstream-peer.js';
import type { OperationCall } from './deps.js';

/** Calls land in the call log under the key's name; a REST caller cannot answer server requests. */
export function callerPeer(call: OperationCall): UpstreamPeer {
  return {
    sessionId: 'api',
    clientName: 'mcp-orch-api',
    keyId: call.principal.keyId,
    keyName: call.principal.name,
    clientCapabilities: {},
    deliverNotification: () => undefined,
    askClient: () =>
      Promise.resolve({
        error: { code: RpcErrorCode.MethodNotFound, message: 'a call made through the REST API cannot answer server requests' },
      }),
  };
}
