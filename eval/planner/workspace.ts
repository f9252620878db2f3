/**
 * The evaluation's workspace: the five fixture servers (github, notion, slack, filesystem, search)
 * over stdio with the MCP SDK's client, their tools named as the aggregate names them.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallTool } from '../../main/core/batch/executor.js';
import type { CatalogTool } from '../../main/core/batch/plan-graph.js';
import { plannerCatalog, type PlannerCatalog, type PlannerTool } from '../../main/core/planner/planner-catalog.js';

const SERVER = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__/workspace-server.mjs');
export const KINDS = ['github', 'notion', 'slack', 'filesystem', 'search'];

/** A running workspace: its catalog, a way to call its tools, and its end. */
export interface Workspace {
  catalog: PlannerCatalog;
  callTool: CallTool;
  close: () => Promise<void>;
}

/** The five servers, connected over stdio; their tools as the aggregate names them. */
export async function startWorkspace(): Promise<Workspace> {
  const clients = new Map<string, Client>();
  const tools: PlannerTool[] = [];
  const targets = new Map<string, CatalogTool>();
  for (const kind of KINDS) {
    const client = new Client({ name: 'planner-eval', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [SERVER, kind], stderr: 'inherit' }));
    clients.set(kind, client);
    for (const tool of (await client.listTools()).tools) {
      const name = `${kind}__${tool.name}`;
      tools.push({
        name,
        plainName: tool.name,
        description: tool.description ?? '',
        inputSchema: tool.inputSchema,
        ...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}),
        ...(tool.annotations ? { annotations: tool.annotations } : {}),
      });
      targets.set(name, {
        server: kind,
        name: tool.name,
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
        annotations: tool.annotations,
      });
    }
  }
  const callTool: CallTool = async (task, args, signal) =>
    await clients.get(task.target.server)!.callTool({ name: task.target.name, arguments: args }, undefined, { signal });
  return {
    catalog: plannerCatalog(tools, (name) => targets.get(name)),
    callTool,
    close: async () => {
      for (const client of clients.values()) await client.close();
    },
  };
}
