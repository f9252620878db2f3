#!/usr/bin/env node
// The conformance suite's CLIENT role, played by MCP Orch: `conformance client --command "node
// bench/conformance/client.mjs"` starts a scenario server and runs this with its URL. This starts a
// real MCP Orch daemon (client-daemon.mjs) with that URL as a remote Streamable HTTP upstream and
// drives the daemon through its own endpoints, as a user's client would: an SDK 1.x client on
// `/mcp/conformance` lists the tools and calls what the scenario asks for, answering the questions
// the daemon passes on (elicitation, sampling, roots). Everything the scenario server sees (the MCP
// traffic, its headers, OAuth, `input_required` rounds) comes from the daemon's upstream client.
// Where a server needs sign-in, this plays the user who presses Sign in (at most twice per call).
//
//   MCP_CONFORMANCE_SCENARIO=<name> [MCP_CONFORMANCE_CONTEXT=<json>] [MCP_CONFORMANCE_PROTOCOL_VERSION=<v>]
//     node bench/conformance/client.mjs <url>
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { killEverything, runBench } from '../proxy/processes.mjs';
import { SERVER, api, settledServer, signIn, startDaemon, wantsSignIn } from './client-daemon.mjs';
import { daemonConfig, planOf } from './client-plan.mjs';

const REQUEST_TIMEOUT_MS = 60_000;
const SIGN_INS_PER_CALL = 2;

const log = (line) => process.stderr.write(`client.mjs: ${line}\n`);

/** The SDK 1.x client on the daemon's `/mcp/<server>`, answering what the daemon asks it. */
async function connect(daemon) {
  const client = new Client(
    { name: 'mcp-orch-conformance-adapter', version: '1.0.0' },
    // applyDefaults: the SDK fills an accepted form's omitted fields from the schema's defaults (SEP-1034).
    { capabilities: { elicitation: { form: { applyDefaults: true } }, sampling: {}, roots: { listChanged: true } } },
  );
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    log(`elicitation: ${JSON.stringify(request.params).slice(0, 300)}`);
    const properties = request.params.requestedSchema?.properties ?? {};
    // A yes/no question is answered yes; every other field is left to its default.
    const content = Object.fromEntries(
      Object.entries(properties)
        .filter(([, schema]) => schema?.type === 'boolean' && schema.default === undefined)
        .map(([name]) => [name, true]),
    );
    return { action: 'accept', content };
  });
  client.setRequestHandler(CreateMessageRequestSchema, async () => ({
    role: 'assistant',
    content: { type: 'text', text: 'conformance adapter' },
    model: 'none',
    stopReason: 'endTurn',
  }));
  client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [] }));
  const transport = new StreamableHTTPClientTransport(new URL(`${daemon.base}/mcp/${SERVER}`), {
    requestInit: { headers: { Authorization: `Bearer ${daemon.token}` } },
  });
  await client.connect(transport);
  return client;
}

/** `action()`, after pressing Sign in when the daemon says the server needs it (at most twice). */
async function withSignIn(daemon, what, action) {
  for (let signIns = 0; ; signIns++) {
    try {
      return await action();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const server = await api(daemon, 'GET', `/api/servers/${SERVER}`).catch(() => undefined);
      const asked = /sign[ -]?in/i.test(message) || (server && wantsSignIn(server));
      if (!asked || signIns >= SIGN_INS_PER_CALL) throw error;
      log(`${what}: ${message.slice(0, 200)}; signing in again`);
      await signIn(daemon, log);
    }
  }
}

async function drive(daemon, plan) {
  let server = await settledServer(daemon);
  log(`server ${server.state}${server.lastError ? `: ${server.lastError}` : ''}`);
  if (wantsSignIn(server)) server = await signIn(daemon, log);
  const client = await connect(daemon);
  try {
    const options = { timeout: REQUEST_TIMEOUT_MS };
    const { tools } = await withSignIn(daemon, 'tools/list', () => client.listTools(undefined, options));
    log(`tools: ${tools.map((tool) => tool.name).join(', ') || '(none)'}`);
    for (const call of plan.calls(tools)) {
      const result = await withSignIn(daemon, `tools/call ${call.name}`, () =>
        client.callTool({ name: call.name, arguments: call.arguments }, undefined, options),
      );
      log(`called ${call.name}: ${JSON.stringify(result).slice(0, 200)}`);
    }
    if (plan.resourcesAndPrompts) {
      const { resources } = await client.listResources(undefined, options);
      if (resources[0]) await client.readResource({ uri: resources[0].uri }, options);
      const { prompts } = await client.listPrompts(undefined, options);
      if (prompts[0]) await client.getPrompt({ name: prompts[0].name, arguments: {} }, options);
    }
  } finally {
    await client.close().catch(() => undefined);
  }
}

async function main() {
  const url = process.argv[2];
  const scenario = process.env.MCP_CONFORMANCE_SCENARIO;
  if (!url || !scenario) {
    console.error('usage: MCP_CONFORMANCE_SCENARIO=<scenario> node bench/conformance/client.mjs <url>');
    process.exit(2);
  }
  const context = process.env.MCP_CONFORMANCE_CONTEXT ? JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT) : {};
  const wire = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION;
  const plan = planOf(scenario, context);
  const { config, env } = daemonConfig({ url, scenario, context, wire });
  log(`${scenario} at ${url} (wire ${wire ?? 'unset'}); config ${JSON.stringify(config.mcpServers[SERVER])}`);
  const daemon = await startDaemon(config, env);
  let failed;
  try {
    await drive(daemon, plan);
  } catch (error) {
    failed = error;
  }
  const serverLog = failed ? await daemon.serverLog() : '';
  await daemon.stop();
  if (failed) {
    log(`failed: ${failed instanceof Error ? failed.message : String(failed)}`);
    log(`daemon output (last lines):\n${daemon.output().split('\n').slice(-25).join('\n')}`);
    log(`server log (last lines):\n${serverLog.split('\n').slice(-25).join('\n')}`);
    process.exitCode = 1;
  }
}

runBench(main, killEverything);
