/** `tools.*`: the catalog, per-tool switches (through `orch.disabledTools`) and single calls. */
import { compileToolPatterns } from '../auth/permissions.js';
import { RpcErrorCode } from '../protocol/jsonrpc.js';
import type { CatalogItem } from '../registry/tool-registry.js';
import type { ServerSupervisor } from '../supervisor/server-supervisor.js';
import { ToolCallError, callTool } from '../supervisor/call-tool.js';
import type { OperationDeps, Handlers } from './deps.js';
import { OperationError } from './operation-error.js';
import type { ConfigEditor } from './config-editor.js';
import { serverOf } from './servers.handlers.js';
import { callerPeer } from './caller-peer.js';

function toolItem(deps: OperationDeps, server: ServerSupervisor, tool: CatalogItem, cached: boolean) {
  const name = tool.name as string;
  const enabled = deps.registry.isToolEnabled(server.name, name);
  const aggregatedName = enabled ? deps.view.toolName(server.name, name) : undefined;
  const annotations = tool.annotations && typeof tool.annotations === 'object' ? (tool.annotations as Record<string, unknown>) : undefined;
  return {
    server: server.name,
    name,
    ...(aggregatedName ? { aggregatedName } : {}),
    ...(typeof tool.title === 'string' ? { title: tool.title } : {}),
    ...(typeof tool.description === 'string' ? { description: tool.description } : {}),
    inputSchema: isObject(tool.inputSchema) ? tool.inputSchema : { type: 'object' },
    ...(isObject(tool.outputSchema) ? { outputSchema: tool.outputSchema } : {}),
    ...(annotations ? { annotations } : {}),
    enabled,
    cached,
    autoApproved: server.config.autoApprove.includes(name),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A failed call as the operation's error: a timeout, a cancellation, or the server's JSON-RPC error mapped to a code. */
function callError(server: string, tool: string, error: unknown): unknown {
  if (!(error instanceof ToolCallError)) return error;
  if (error.reason === 'timeout') return new OperationError('timeout', `the call of ${server}__${tool} ${error.message}`);
  if (error.reason === 'cancelled') return new OperationError('cancelled', `the call of ${server}__${tool} was cancelled`);
  const { code, message } = error.rpcError!;
  if (code === RpcErrorCode.ConnectionClosed) return new OperationError('server_unavailable', message);
  if (code === RpcErrorCode.RequestTimeout) return new OperationError('timeout', message);
  if (code === RpcErrorCode.InvalidParams && /unknown tool|not found/i.test(message))
    return new OperationError('unknown_tool', `server "${server}": ${message}`);
  if (code === RpcErrorCode.InvalidParams)
    return new OperationError('bad_request', `server "${server}" refused the call of ${tool}: ${message}`, { rpcError: error.rpcError });
  return new OperationError('server_unavailable', `server "${server}" failed the call of ${tool}: ${message}`, {
    rpcError: error.rpcError,
  });
}

export function toolHandlers(
  deps: OperationDeps,
  editor: ConfigEditor,
): Handlers<'tools.list' | 'tools.enable' | 'tools.disable' | 'tools.call'> {
  const inConfig = (name: string): void => {
    serverOf(deps, name);
    if (!deps.hotReload.config.servers.some((entry) => entry.name === name))
      throw new OperationError('unknown_server', `the server "${name}" is not in the config file`);
  };
  const toggle = async (server: string, tool: string, enabled: boolean) => {
    inConfig(server);
    const current = deps.hotReload.config.orch.disabledTools[server] ?? [];
    const next = enabled ? current.filter((name) => name !== tool) : current.includes(tool) ? current : [...current, tool];
    if (next.length !== current.length) {
      await editor.edit([{ path: ['orch', 'disabledTools', server], value: next.length > 0 ? next : undefined }]);
    }
    return { server, tool, enabled: deps.registry.isToolEnabled(server, tool) };
  };

  return {
    'tools.list': ({ server, q, enabled }, call) => {
      if (server !== undefined) serverOf(deps, server);
      const visible = compileToolPatterns(call.principal.allow, call.principal.deny);
      const needle = q?.toLowerCase();
      const tools = [];
      for (const catalog of deps.registry.all()) {
        const owner = deps.supervisor.get(catalog.server);
        if (!owner || (server !== undefined && catalog.server !== server)) continue;
        for (const tool of catalog.tools) {
          if (typeof tool.name !== 'string' || !visible(catalog.server, tool.name)) continue;
          const item = toolItem(deps, owner, tool, catalog.cached);
          if (enabled !== undefined && item.enabled !== enabled) continue;
          if (needle && ![item.name, item.title, item.description].some((text) => text?.toLowerCase().includes(needle))) continue;
          tools.push(item);
        }
      }
      return { tools };
    },
    'tools.enable': ({ server, tool }) => toggle(server, tool, true),
    'tools.disable': ({ server, tool }) => toggle(server, tool, false),
    'tools.call': async ({ server: name, tool, arguments: args, timeoutMs }, call) => {
      const server = serverOf(deps, name);
      if (!deps.registry.isToolEnabled(name, tool))
        throw new OperationError(
          'forbidden',
          `the tool ${tool} of "${name}" is disabled in MCP Orch: enable it with POST /api/tools/${encodeURIComponent(name)}/${encodeURIComponent(tool)}/enable`,
        );
      const catalog = deps.registry.catalog(name);
      if (catalog && !catalog.cached && !catalog.tools.some((item) => item.name === tool)) {
        throw new OperationError(
          'unknown_tool',
          `server "${name}" has no tool "${tool}"; its tools: ${catalog.tools.map((item) => String(item.name)).join(', ') || '(none)'}`,
        );
      }
      const started = performance.now();
      let result: { content?: unknown; isError?: unknown };
      try {
        result = await callTool(server, tool, args, { peer: callerPeer(call), id: 1, signal: call.signal, timeoutMs });
      } catch (error) {
        throw callError(name, tool, error);
      }
      const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
      if (!Array.isArray(result.content))
        throw new OperationError('server_unavailable', `server "${name}" answered ${tool} without a content list`);
      call.audit.details = { durationMs, ...(result.isError === true ? { isError: true } : {}) };
      return { result: result as { content: { type: string }[] }, durationMs };
    },
  };
}
