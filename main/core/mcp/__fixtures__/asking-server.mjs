#!/usr/bin/env node
// A 2025 (v1 SDK) stdio MCP server whose tools ask the client mid-call, for the bridge to 2026
// clients' `input_required`:
//   ask_name   elicitation/create for a name, answers "Hello <name>" (or the action taken);
//   ask_llm    sampling/createMessage, answers "LLM said <text>";
//   ask_roots  roots/list, answers the root URIs;
//   ask_all    the three at once, answers all three;
//   ask_twice  two elicitations one after the other, answers both names;
//   ask_keyed  ask_name, naming the key of its question (`_meta["dev.mcp-orch/inputKey"]`);
//   count      a plain tool that asks nothing ({ n } → "n is <n>").
// A question that fails (the client did not answer in time) makes the tool answer "failed: <why>",
// and log "question failed: <why>" on stderr.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'asking-fixture', version: '1.0.0' });
const text = (value) => ({ content: [{ type: 'text', text: value }] });
const related = (extra) => ({ relatedRequestId: extra.requestId });

const askName = async (message, extra, key) => {
  const result = await server.server.elicitInput(
    {
      message,
      requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      // The key the 2026 client answers under (an MCP Orch convention).
      ...(key ? { _meta: { 'dev.mcp-orch/inputKey': key } } : {}),
    },
    related(extra),
  );
  return result.action === 'accept' ? String(result.content?.name) : `(${result.action})`;
};
const askLlm = async (extra) => {
  const result = await server.server.createMessage(
    { messages: [{ role: 'user', content: { type: 'text', text: 'Say something' } }], maxTokens: 50 },
    related(extra),
  );
  return result.content.type === 'text' ? result.content.text : `[${result.content.type}]`;
};
const askRoots = async (extra) => (await server.server.listRoots(undefined, related(extra))).roots.map((root) => root.uri).join(',');
const guarded = (work) => async (args, extra) => {
  try {
    return text(await work(args, extra));
  } catch (error) {
    console.error(`question failed: ${error.message}`);
    return text(`failed: ${error.message}`);
  }
};

server.registerTool(
  'ask_name',
  { description: 'Asks the user for a name', inputSchema: {} },
  guarded(async (_args, extra) => `Hello ${await askName('Your name?', extra)}`),
);
server.registerTool(
  'ask_llm',
  { description: "Asks the client's LLM", inputSchema: {} },
  guarded(async (_args, extra) => `LLM said ${await askLlm(extra)}`),
);
server.registerTool(
  'ask_roots',
  { description: 'Lists the client roots', inputSchema: {} },
  guarded(async (_args, extra) => `roots ${await askRoots(extra)}`),
);
server.registerTool(
  'ask_all',
  { description: 'Asks the three at once', inputSchema: {} },
  guarded(async (_args, extra) => {
    const [name, said, roots] = await Promise.all([askName('Your name?', extra), askLlm(extra), askRoots(extra)]);
    return `${name} | ${said} | ${roots}`;
  }),
);
server.registerTool(
  'ask_twice',
  { description: 'Asks for two names, one after the other', inputSchema: {} },
  guarded(async (_args, extra) => `${await askName('First name?', extra)} and ${await askName('Second name?', extra)}`),
);
server.registerTool(
  'ask_keyed',
  { description: 'Asks for a name under the key user_name', inputSchema: {} },
  guarded(async (_args, extra) => `Hello ${await askName('Your name?', extra, 'user_name')}`),
);
server.registerTool('count', { description: 'Asks nothing', inputSchema: { n: z.number() } }, ({ n }) => text(`n is ${n}`));

await server.connect(new StdioServerTransport());
