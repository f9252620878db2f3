// The tools the conformance suite's MCP 2026-07-28 server scenarios call, written the 2025 way
// (this is a v1 SDK server): a tool that needs input asks the client mid-call (elicitation,
// sampling, roots), and MCP Orch's bridge turns the questions into `input_required` results for a
// 2026 client. A question may name the key the client answers it under with
// `_meta["dev.mcp-orch/inputKey"]` (an MCP Orch convention; docs/endpoints.md).
import { McpError } from '@modelcontextprotocol/sdk/types.js';

const CLIENT_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';
const INPUT_KEY = 'dev.mcp-orch/inputKey';

const text = (value) => ({ content: [{ type: 'text', text: value }] });
const related = (extra) => ({ relatedRequestId: extra.requestId });
/** The capabilities the 2026 client declared for this request (MCP Orch passes its `_meta` on). */
const declared = (extra) => extra._meta?.[CLIENT_CAPABILITIES] ?? {};

export function registerModernTools(server) {
  const askName = async (extra, key, message = 'What is your name?') => {
    const result = await server.server.elicitInput(
      {
        message,
        requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        ...(key ? { _meta: { [INPUT_KEY]: key } } : {}),
      },
      related(extra),
    );
    return result.action === 'accept' ? String(result.content?.name ?? JSON.stringify(result.content)) : `(${result.action})`;
  };
  const askLlm = async (extra) => {
    const result = await server.server.createMessage(
      { messages: [{ role: 'user', content: { type: 'text', text: 'Say hello' } }], maxTokens: 100 },
      related(extra),
    );
    return result.content?.type === 'text' ? result.content.text : '[non-text]';
  };
  const askRoots = async (extra) => (await server.server.listRoots(undefined, related(extra))).roots.map((root) => root.uri).join(', ');
  const tool = (name, description, work) =>
    server.registerTool(name, { description, inputSchema: {} }, async (_args, extra) => text(await work(extra)));

  // Refused with -32021 when the client did not declare sampling: see the end of this function.
  tool('test_missing_capability', 'Needs sampling: refuses a client that did not declare it (-32021)', async () => 'sampling was declared');
  tool('test_streaming_elicitation', 'Reports progress, asks nothing, then answers', async (extra) => {
    const progressToken = extra._meta?.progressToken;
    if (progressToken !== undefined) {
      await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: 1, total: 1 } });
    }
    return 'streamed without asking';
  });
  tool('test_logging_tool', 'Logs one message while it runs', async (extra) => {
    await extra.sendNotification({ method: 'notifications/message', params: { level: 'info', data: 'a log message of the call' } });
    return 'logged';
  });
  let toolAdded;
  tool('test_trigger_tool_change', 'Adds or removes a tool, so the tool list changes', async () => {
    if (toolAdded) {
      toolAdded.remove();
      toolAdded = undefined;
    } else {
      toolAdded = server.registerTool('test_dynamic_tool', { description: 'Comes and goes' }, () => text('here'));
    }
    return 'the tool list changed';
  });
  let promptAdded;
  tool('test_trigger_prompt_change', 'Adds or removes a prompt, so the prompt list changes', async () => {
    if (promptAdded) {
      promptAdded.remove();
      promptAdded = undefined;
    } else {
      promptAdded = server.registerPrompt('test_dynamic_prompt', { description: 'Comes and goes' }, () => ({
        messages: [{ role: 'user', content: { type: 'text', text: 'here' } }],
      }));
    }
    return 'the prompt list changed';
  });

  tool(
    'test_input_required_result_elicitation',
    'Asks the user for a name (key user_name)',
    async (extra) => `Hello, ${await askName(extra, 'user_name')}`,
  );
  tool('test_input_required_result_sampling', "Asks the client's LLM", async (extra) => `The model said: ${await askLlm(extra)}`);
  tool('test_input_required_result_list_roots', "Lists the client's roots", async (extra) => `Roots: ${await askRoots(extra)}`);
  tool('test_input_required_result_request_state', 'Asks once, keeping its state', async (extra) => `Hello, ${await askName(extra)}`);
  tool(
    'test_input_required_result_tampered_state',
    'Asks once; a tampered state must be refused',
    async (extra) => `Hello, ${await askName(extra)}`,
  );
  tool('test_input_required_result_multiple_inputs', 'Asks the three at once', async (extra) => {
    const [name, said, roots] = await Promise.all([askName(extra), askLlm(extra), askRoots(extra)]);
    return `${name}; ${said}; ${roots}`;
  });
  tool('test_input_required_result_multi_round', 'Asks twice, one after the other', async (extra) => {
    const name = await askName(extra, undefined, 'Step 1: your name?');
    const color = await askName(extra, undefined, 'Step 2: your favourite colour?');
    return `${name} likes ${color}`;
  });
  tool('test_input_required_result_capabilities', 'Asks only what the client declared', async (extra) => {
    const capabilities = declared(extra);
    const asked = [];
    if (capabilities.elicitation !== undefined) asked.push(askName(extra));
    if (capabilities.sampling !== undefined) asked.push(askLlm(extra));
    if (capabilities.roots !== undefined) asked.push(askRoots(extra));
    return (await Promise.all(asked)).join('; ') || 'nothing to ask';
  });
  server.registerPrompt('test_input_required_result_prompt', { description: 'Asks for context before it is made' }, async (extra) => {
    const result = await server.server.elicitInput(
      {
        message: 'What context should the prompt use?',
        requestedSchema: { type: 'object', properties: { context: { type: 'string' } }, required: ['context'] },
      },
      related(extra),
    );
    const context = result.action === 'accept' ? String(result.content?.context) : `(${result.action})`;
    return { messages: [{ role: 'user', content: { type: 'text', text: `Use this context: ${context}` } }] };
  });

  // McpServer turns what a tool throws into an `isError` result; -32021 must stay a JSON-RPC error,
  // so this tool's refusal is made in front of McpServer's own tools/call handler.
  const handlers = server.server._requestHandlers;
  const callTool = handlers.get('tools/call');
  handlers.set('tools/call', (request, extra) => {
    if (request.params?.name === 'test_missing_capability' && declared(extra).sampling === undefined) {
      throw new McpError(-32021, 'This tool needs the sampling capability, which the client did not declare', {
        requiredCapabilities: { sampling: {} },
      });
    }
    return callTool(request, extra);
  });
}
