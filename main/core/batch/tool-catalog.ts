/** The tools a batch on the aggregated endpoint (or the REST API) may call: the aggregate's, as the key sees them. */
import { ORIGIN_META_KEY } from '../registry/aggregate-view.js';
import type { Origin } from '../registry/naming.js';
import type { ToolCatalog } from './plan-graph.js';

/** The aggregate's tools (`view.tools`) a key may call. */
export function visibleTools(
  tools: readonly Record<string, unknown>[],
  canCall: (server: string, tool: string) => boolean,
): Record<string, unknown>[] {
  return tools.filter((tool) => {
    const origin = (tool._meta as Record<string, unknown>)[ORIGIN_META_KEY] as Origin;
    return canCall(origin.server, origin.name);
  });
}

/** Resolves the aggregated names of `tools` (already filtered for the key) to their servers. */
export function aggregateCatalog(tools: readonly Record<string, unknown>[]): ToolCatalog {
  const byName = new Map(tools.map((tool) => [tool.name as string, tool]));
  return (name) => {
    const tool = byName.get(name);
    if (!tool) return undefined;
    const origin = (tool._meta as Record<string, unknown>)[ORIGIN_META_KEY] as Origin;
    return {
      server: origin.server,
      name: origin.name,
      inputSchema: tool.inputSchema,
      outputSchema: tool.outputSchema,
      annotations: tool.annotations as Record<string, unknown> | undefined,
    };
  };
}
