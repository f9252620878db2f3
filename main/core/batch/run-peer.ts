/**
 * How a run's tasks reach the servers as requests of the caller's session, and how its progress
 * goes back to the MCP request that started it.
 */
import type { RequestId, RpcNotification } from '../protocol/jsonrpc.js';
import type { UpstreamPeer } from '../supervisor/upstream-peer.js';
import type { CallTool } from './executor.js';
import type { TaskEvent } from './run-report.js';
import type { ToolCaller } from './tool-caller.js';

/** Reports each finished task as MCP progress of the request `requestId`, when the client sent a progress token. */
export function progressTo(
  peer: UpstreamPeer,
  requestId: RequestId,
  progressToken: string | number | undefined,
): ((event: Extract<TaskEvent, { type: 'ended' }>, finished: number, total: number) => void) | undefined {
  if (progressToken === undefined) return undefined;
  return (event, finished, total) => {
    const progress: RpcNotification = {
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken, progress: finished, total, message: `${event.id} ${event.status}` },
    };
    peer.deliverNotification(progress, requestId);
  };
}

/** The executor's `CallTool` over a tool caller, every call a request of `peer`. */
export function callsOf(tools: ToolCaller, peer: UpstreamPeer): CallTool {
  return (task, args, signal) => tools.call(task.target.server, task.target.name, args, peer, signal);
}

/** The session as the peer of a request's calls: what the servers send during them belongs to that request. */
export function relatedPeer(session: UpstreamPeer, requestId: RequestId): UpstreamPeer {
  return {
    get sessionId() {
      return session.sessionId;
    },
    get clientName() {
      return session.clientName;
    },
    get keyId() {
      return session.keyId;
    },
    get keyName() {
      return session.keyName;
    },
    get clientCapabilities() {
      return session.clientCapabilities;
    },
    deliverNotification: (notification) => session.deliverNotification(notification, requestId),
    askClient: (request, _related, signal) => session.askClient(request, requestId, signal),
  };
}
