/** `tools.*`: the catalog, per-tool switches (through `orch.disabledTools`) and single calls. */
import { canCallTool, compileToolPatterns } from '../auth/permissions.js';
import { RpcErrorCode, type RpcResponse } from '../protocol/jsonrpc.js';
import type { CatalogItem } from '../registry/tool-registry.js';
import type { ServerSupervisor } from '../supervisor/server-supervisor.js';
import type { ApiDeps, Handlers } from './deps.js';
import { ApiError } from './operation-error.js';
import type { ConfigEditor } from './config-editor.js';
import { serverOf } from './servers.handlers.js';
import { apiPeer } from './caller-peer.js';

function toolItem(deps: ApiDeps, server: ServerSupervisor, tool: CatalogItem, cached: boolean) {
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


/** Maps a JSON-RPC error of a tools/call to the API's error. */
function callError(server: string, tool: string, response: Extract<RpcResponse, { error: unknown }>): ApiError {
  const { code, message } = response.error;
  if (code === RpcErrorCode.ConnectionClosed) return new ApiError('server_unavailable', message);
  if (code === RpcErrorCode.RequestTimeout) return new ApiError('timeout', message);
  if (code === RpcErrorCode.InvalidParams && /unknown tool|not found/i.test(message)) return new ApiError('unknown_tool', `server "${server}": ${message}`);
  if (code === RpcErrorCode.InvalidParams) return new ApiError('bad_request', `server "${server}" refused the call of ${tool}: ${message}`, { rpcError: response.error });
  return new ApiError('server_unavailable', `server "${server}" failed the call of ${tool}: ${message}`, { rpcError: response.error });
}

export function toolHandlers(deps: ApiDeps, editor: ConfigEditor): Handlers<'tools.list' | 'tools.enable' | 'tools.disable' | 'tools.call'> {
  const inConfig = (name: string): void => {
    serverOf(deps, name);
    if (!deps.reload().config.servers.some((entry) => entry.name === name)) throw new ApiError('unknown_server', `the server "${name}" is not in the config file`);
  };
  const toggle = async (server: string, tool: string, enabled: boolean) => {
    inConfig(server);
    const current = deps.reload().config.orch.disabledTools[server] ?? [];
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
      call.audit.target = `${name}__${tool}`;
      if (!canCallTool(call.principal, name, tool)) throw new ApiError('forbidden', `the key "${call.principal.name}" may not call ${name}__${tool} (its allow/deny patterns)`);
      if (!deps.registry.isToolEnabled(name, tool)) throw new ApiError('forbidden', `the tool ${tool} of "${name}" is disabled in MCP Orch: enable it with POST /api/tools/${encodeURIComponent(name)}/${encodeURIComponent(tool)}/enable`);
      const catalog = deps.registry.catalog(name);
      if (catalog && !catalog.cached && !catalog.tools.some((item) => item.name === tool)) {
        throw new ApiError('unknown_tool', `server "${name}" has no tool "${tool}"; its tools: ${catalog.tools.map((item) => String(item.name)).join(', ') || '(none)'}`);
      }
      const peer = apiPeer(call);
      const id = 1;
      let ended: 'timeout' | 'aborted' | undefined;
      const end = (why: 'timeout' | 'aborted') => {
        ended ??= why;
        server.cancel(peer, id, why === 'timeout' ? `timed out after ${timeoutMs} ms` : 'the API client went away');
      };
      const timer = timeoutMs !== undefined ? setTimeout(() => end('timeout'), timeoutMs) : undefined;
      const onAbort = () => end('aborted');
      call.signal.addEventListener('abort', onAbort);
      const started = performance.now();
      let response: RpcResponse | undefined;
      try {
        response = await server.forward({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: tool, arguments: args } }, peer);
      } finally {
        clearTimeout(timer);
        call.signal.removeEventListener('abort', onAbort);
      }
      const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
      if (ended === 'timeout') throw new ApiError('timeout', `the call of ${name}__${tool} timed out after ${timeoutMs} ms`);
      if (!response) throw new ApiError('cancelled', `the call of ${name}__${tool} was cancelled`);
      if ('error' in response) throw callError(name, tool, response);
      const result = response.result as { content?: unknown; isError?: unknown };
      if (!Array.isArray(result.content)) throw new ApiError('server_unavailable', `server "${name}" answered ${tool} without a content list`);
      call.audit.details = { durationMs, ...(result.isError === true ? { isError: true } : {}) };
      return { result: result as { content: { type: string }[] }, durationMs };
    },
  };
}
