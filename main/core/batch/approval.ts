/**
 * Which tools of a plan need the user's approval, and asking for it. A tool runs unasked when it is
 * read-only or in its server's `autoApprove`; the rest are approved by MCP elicitation, when the
 * client supports it, or the plan is refused with their names.
 */
import type { RequestId } from '../protocol/jsonrpc.js';
import type { UpstreamPeer } from '../supervisor/upstream-peer.js';
import type { CatalogTool, PlanGraph, ToolCatalog } from './plan-graph.js';
import type { ToolCaller } from './tool-caller.js';

/** Whether calling `target` needs the user's approval: it is neither read-only nor in its server's `autoApprove`. */
function needsApproval(target: CatalogTool, tools: Pick<ToolCaller, 'settings'>): boolean {
  return target.annotations?.readOnlyHint !== true && tools.settings(target.server)?.autoApprove.includes(target.name) !== true;
}

/** The plan's tools (as named in it) that are neither read-only nor in their server's `autoApprove`. */
export function needingApproval(graph: PlanGraph, tools: Pick<ToolCaller, 'settings'>): string[] {
  const names = new Set<string>();
  for (const task of graph.tasks) if (needsApproval(task.target, tools)) names.add(task.tool);
  return [...names];
}

/** Of the tools `names` (as plans name them, resolved through `catalog`), those that need approval; an unknown name does. */
export function namesNeedingApproval(names: readonly string[], catalog: ToolCatalog, tools: Pick<ToolCaller, 'settings'>): string[] {
  return [...new Set(names)].filter((name) => {
    const target = catalog(name);
    return target === undefined || needsApproval(target, tools);
  });
}

/** A refusal to run, as the `batch_execute` answer says it: why, and the tools that needed approval. */
export interface Refusal {
  text: string;
  needsApproval: string[];
}

/** Asks the client to approve `tools` (MCP elicitation); answers the refusal, or undefined when approved. */
export async function askApproval(
  tools: string[],
  peer: UpstreamPeer,
  requestId: RequestId,
  signal: AbortSignal,
): Promise<Refusal | undefined> {
  const list = tools.join(', ');
  if (peer.clientCapabilities?.elicitation === undefined) {
    return {
      text:
        `The batch was not run: these tools need approval and this client cannot ask for it (it does not support MCP elicitation): ${list}. ` +
        'Add them to the server\'s "autoApprove", or set "orch.batch.approveAll".',
      needsApproval: tools,
    };
  }
  const reply = await peer.askClient(
    {
      jsonrpc: '2.0',
      id: 0,
      method: 'elicitation/create',
      params: {
        message: `A batch of tool calls wants to run tools that may change things: ${list}. Run the batch?`,
        requestedSchema: {
          type: 'object',
          properties: { approve: { type: 'boolean', title: 'Run the batch', description: `Allow ${list}` } },
          required: ['approve'],
        },
      },
    },
    requestId,
    signal,
  );
  const result = 'result' in reply ? reply.result : undefined;
  const content = result?.content as Record<string, unknown> | undefined;
  if (result?.action === 'accept' && content?.approve === true) return undefined;
  const why = 'error' in reply ? `approval failed: ${reply.error.message}` : 'approval was declined';
  return { text: `The batch was not run: ${why} (tools: ${list}).`, needsApproval: tools };
}
