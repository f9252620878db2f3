// What bench/conformance/client.mjs does for each conformance scenario, and the daemon config it
// starts with: pure functions of the scenario's name, its context (MCP_CONFORMANCE_CONTEXT) and the
// wire version the suite runs it at (MCP_CONFORMANCE_PROTOCOL_VERSION). The plan is what a user's
// client would do with the tools the daemon offers; the config is what a user would write for that
// server. Nothing here speaks to the scenario server: the daemon does.
import { SERVER } from './client-daemon.mjs';

/** The Client ID Metadata Document URL auth/basic-cimd expects a client to present as its client_id. */
export const CIMD_URL = 'https://conformance-test.local/client-metadata.json';
/** The daemon's environment variable that holds a pre-registered client secret (named by `${env:…}`). */
export const SECRET_ENV = 'CONFORMANCE_CLIENT_SECRET';

/** Tools called by name, in order, where the scenario serves a sequence to walk through. */
const CALLS_BY_SCENARIO = {
  'elicitation-sep1034-client-defaults': ['test_client_elicitation_defaults'],
  'sse-retry': ['test_reconnection'],
  'sep-2322-client-request-state': ['test_mrtr_echo_state', 'test_mrtr_unrelated', 'test_mrtr_no_state', 'test_mrtr_no_result_type'],
};
/** Scenarios whose server only lists tools (a call would get -32601 and fail the run). */
const LIST_ONLY = new Set(['json-schema-ref-no-deref', 'request-metadata']);
/** Scenarios that call every tool offered: whether a tool is offered at all is what they check. */
const EVERY_TOOL = new Set(['http-invalid-tool-headers', 'http-standard-headers']);

/** Arguments for a tool from its input schema: numbers 2 and 3 for `a` and `b` (tools_call's add_numbers), else nothing. */
export function argumentsFor(tool) {
  const properties = tool?.inputSchema?.properties ?? {};
  const args = {};
  if (properties.a?.type === 'number' || properties.a?.type === 'integer') args.a = 2;
  if (properties.b?.type === 'number' || properties.b?.type === 'integer') args.b = 3;
  return args;
}

/**
 * The plan for `scenario`: `calls(tools)` gives the tool calls to make after listing the tools
 * the daemon offers (each `{ name, arguments }`); `resourcesAndPrompts` lists and reads those too.
 */
export function planOf(scenario, context = {}) {
  const calls = (tools) => {
    if (LIST_ONLY.has(scenario)) return [];
    if (Array.isArray(context.toolCalls)) return context.toolCalls.map((call) => ({ name: call.name, arguments: call.arguments ?? {} }));
    const named = CALLS_BY_SCENARIO[scenario];
    if (named) return named.map((name) => ({ name, arguments: {} }));
    if (scenario === 'json-schema-2020-12-preservation') {
      const focal = tools.find((tool) => tool.name === 'json_schema_2020_12_tool');
      return focal ? [{ name: 'json_schema_echo', arguments: { schema: focal.inputSchema } }] : [];
    }
    const chosen = EVERY_TOOL.has(scenario) ? tools : tools.slice(0, 1);
    return chosen.map((tool) => ({ name: tool.name, arguments: argumentsFor(tool) }));
  };
  return { calls, resourcesAndPrompts: scenario === 'http-standard-headers' };
}

/**
 * The daemon's config: one remote Streamable HTTP server at `url`, spoken to in the generation the
 * suite runs the scenario at (as a user who knows the server would set `protocol`), with the OAuth
 * settings the scenario gives a client. `env`: added to the daemon's environment.
 */
export function daemonConfig({ url, scenario, context = {}, wire }) {
  const server = { url, transportType: 'streamableHttp' };
  if (wire === '2026-07-28') server.protocol = '2026-07-28';
  else if (wire) server.protocol = '2025';
  const env = {};
  const orch = {};
  if (scenario === 'auth/pre-registration' && context.client_id) {
    server.oauth = { clientId: context.client_id, clientSecret: `\${env:${SECRET_ENV}}` };
    env[SECRET_ENV] = context.client_secret ?? '';
  }
  if (scenario === 'auth/basic-cimd') orch.oauth = { clientMetadataUrl: CIMD_URL };
  const config = { mcpServers: { [SERVER]: server } };
  if (Object.keys(orch).length > 0) config.orch = orch;
  return { config, env };
}
