// The features of the conformance fixture server: every tool, resource, prompt and handler the
// official conformance suite's server scenarios ask for (those of 2026-07-28 in conformance-2026.mjs).
// conformance-server.mjs serves it.
import { setTimeout as delay } from 'node:timers/promises';
import * as z from 'zod';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import { SetLevelRequestSchema, SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { registerModernTools } from './conformance-2026.mjs';

// A 1x1 red pixel.
const RED_PIXEL_PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';
const SILENT_WAV_BASE64 = silentWav().toString('base64');
const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];
// Scenarios expect a pause between notifications, so a client must cope with them arriving apart.
const STEP_DELAY_MS = 50;
// How long a client waits before reconnecting after test_reconnection closed its stream.
export const RETRY_INTERVAL_MS = 500;

/** 100 ms of 8 kHz mono 16-bit silence: the smallest WAV that players accept. */
function silentWav() {
  const sampleRate = 8000;
  const data = Buffer.alloc((sampleRate / 10) * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

const text = (value) => ({ content: [{ type: 'text', text: value }] });
const isLogged = (session, level) => session.logLevel === undefined || LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(session.logLevel);

// ---------------------------------------------------------------------------------------------
// The MCP server. One instance per client session: McpServer serves a single transport, and
// the log level and subscriptions a client sets are its own.

export function createConformanceServer() {
  const server = new McpServer(
    { name: 'mcp-orch-conformance-fixture', version: '1.0.0' },
    { capabilities: { logging: {}, resources: { subscribe: true, listChanged: true } } },
  );
  // logLevel stays unset until the client sets one: until then every message is sent.
  const session = { logLevel: undefined, subscriptions: new Set() };
  registerContentTools(server);
  registerNotifyingTools(server, session);
  registerClientRequestTools(server);
  registerSchemaTool(server);
  registerResources(server, session);
  registerPrompts(server);
  registerLogLevel(server, session);
  registerModernTools(server);
  return server;
}

function registerContentTools(server) {
  server.registerTool('test_simple_text', { description: 'Returns one text block' }, () =>
    text('This is a simple text response for testing.'),
  );
  server.registerTool('test_image_content', { description: 'Returns a PNG image' }, () => ({
    content: [{ type: 'image', data: RED_PIXEL_PNG_BASE64, mimeType: 'image/png' }],
  }));
  server.registerTool('test_audio_content', { description: 'Returns a WAV clip' }, () => ({
    content: [{ type: 'audio', data: SILENT_WAV_BASE64, mimeType: 'audio/wav' }],
  }));
  server.registerTool('test_embedded_resource', { description: 'Returns an embedded resource' }, () => ({
    content: [
      {
        type: 'resource',
        resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' },
      },
    ],
  }));
  server.registerTool('test_multiple_content_types', { description: 'Returns text, image and resource' }, () => ({
    content: [
      { type: 'text', text: 'Multiple content types test:' },
      { type: 'image', data: RED_PIXEL_PNG_BASE64, mimeType: 'image/png' },
      {
        type: 'resource',
        resource: {
          uri: 'test://mixed-content-resource',
          mimeType: 'application/json',
          text: JSON.stringify({ test: 'data', value: 123 }),
        },
      },
    ],
  }));
  // McpServer turns a thrown error into a result with isError: true, which is what we want.
  server.registerTool('test_error_handling', { description: 'Always fails' }, () => {
    throw new Error('This tool intentionally returns an error for testing');
  });
}

function registerNotifyingTools(server, session) {
  server.registerTool('test_tool_with_logging', { description: 'Logs three messages while it runs' }, async (extra) => {
    const log = async (message) => {
      if (!isLogged(session, 'info')) return;
      // Sent through the request's extra so that they travel on the stream of this call.
      await extra.sendNotification({
        method: 'notifications/message',
        params: { level: 'info', logger: 'conformance-fixture', data: message },
      });
    };
    await log('Tool execution started');
    await delay(STEP_DELAY_MS);
    await log('Tool processing data');
    await delay(STEP_DELAY_MS);
    await log('Tool execution completed');
    return text('Tool with logging executed successfully');
  });

  server.registerTool('test_tool_with_progress', { description: 'Reports progress 0, 50, 100 of 100' }, async (extra) => {
    const progressToken = extra._meta?.progressToken;
    for (const progress of [0, 50, 100]) {
      if (progress > 0) await delay(STEP_DELAY_MS);
      if (progressToken !== undefined) {
        await extra.sendNotification({
          method: 'notifications/progress',
          params: { progressToken, progress, total: 100, message: `Step ${progress} of 100` },
        });
      }
    }
    return text(`Progress reported for token ${String(progressToken)}`);
  });

  server.registerTool(
    'test_reconnection',
    { description: 'Closes its SSE stream mid-call; the result arrives after the client reconnects (SEP-1699)' },
    async (extra) => {
      // The SDK offers closeSSEStream only when the client can resume (an event store is
      // configured and the client speaks 2025-11-25); closing otherwise would lose the result.
      extra.closeSSEStream?.();
      await delay(RETRY_INTERVAL_MS / 5);
      return text('Reconnection test completed: the result was delivered after the stream was closed.');
    },
  );
}

function registerClientRequestTools(server) {
  // relatedRequestId sends the server->client request on the stream of the call that caused it.
  const relatedTo = (extra) => ({ relatedRequestId: extra.requestId });

  server.registerTool(
    'test_sampling',
    {
      description: 'Asks the client LLM to complete a prompt',
      inputSchema: { prompt: z.string().describe('The prompt to send to the LLM') },
    },
    async ({ prompt }, extra) => {
      const result = await server.server.createMessage(
        { messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 100 },
        relatedTo(extra),
      );
      const reply = result.content.type === 'text' ? result.content.text : `[${result.content.type}]`;
      return text(`LLM response: ${reply}`);
    },
  );

  server.registerTool(
    'test_elicitation',
    { description: 'Asks the user for a name and an email', inputSchema: { message: z.string().describe('The message to show the user') } },
    async ({ message }, extra) => {
      const result = await server.server.elicitInput(
        {
          message,
          requestedSchema: {
            type: 'object',
            properties: {
              username: { type: 'string', description: "User's response" },
              email: { type: 'string', description: "User's email address" },
            },
            required: ['username', 'email'],
          },
        },
        relatedTo(extra),
      );
      return text(`User response: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`);
    },
  );

  server.registerTool('test_elicitation_sep1034_defaults', { description: 'Elicitation with defaults (SEP-1034)' }, async (extra) => {
    const result = await server.server.elicitInput(
      {
        message: 'Please review the pre-filled fields',
        requestedSchema: {
          type: 'object',
          properties: {
            name: { type: 'string', default: 'John Doe' },
            age: { type: 'integer', default: 30 },
            score: { type: 'number', default: 95.5 },
            status: { type: 'string', enum: ['active', 'inactive', 'pending'], default: 'active' },
            verified: { type: 'boolean', default: true },
          },
        },
      },
      relatedTo(extra),
    );
    return text(`Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`);
  });

  server.registerTool('test_elicitation_sep1330_enums', { description: 'Elicitation with every enum form (SEP-1330)' }, async (extra) => {
    const result = await server.server.elicitInput(
      {
        message: 'Please choose',
        requestedSchema: { type: 'object', properties: sep1330EnumFields() },
      },
      relatedTo(extra),
    );
    return text(`Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`);
  });
}

/** One field per enum form of SEP-1330: untitled, titled, legacy titled; single and multi select. */
function sep1330EnumFields() {
  const titled = (prefix, titles) => titles.map((title, i) => ({ const: `${prefix}${i + 1}`, title }));
  return {
    untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
    titledSingle: { type: 'string', oneOf: titled('value', ['First Option', 'Second Option', 'Third Option']) },
    legacyEnum: { type: 'string', enum: ['opt1', 'opt2', 'opt3'], enumNames: ['Option One', 'Option Two', 'Option Three'] },
    untitledMulti: { type: 'array', items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
    titledMulti: { type: 'array', items: { anyOf: titled('value', ['First Choice', 'Second Choice', 'Third Choice']) } },
  };
}

/**
 * SEP-1613: the listed inputSchema must keep the 2020-12 keywords. McpServer converts zod to JSON
 * Schema draft-07; zod's meta() is merged into the output, which restores $schema and $defs.
 */
function registerSchemaTool(server) {
  const addressFields = { street: { type: 'string' }, city: { type: 'string' } };
  const address = z.object({ street: z.string().optional(), city: z.string().optional() }).meta({ $ref: '#/$defs/address' });
  const inputSchema = z.strictObject({ name: z.string().optional(), address: address.optional() }).meta({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $defs: { address: { type: 'object', properties: addressFields } },
  });
  server.registerTool('json_schema_2020_12_tool', { description: 'Tool with JSON Schema 2020-12 features', inputSchema }, (args) =>
    text(`Received ${JSON.stringify(args)}`),
  );
}

function registerResources(server, session) {
  server.registerResource('static-text', 'test://static-text', { description: 'A fixed text resource', mimeType: 'text/plain' }, (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'This is the content of the static text resource.' }],
  }));
  server.registerResource('static-binary', 'test://static-binary', { description: 'A fixed PNG image', mimeType: 'image/png' }, (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'image/png', blob: RED_PIXEL_PNG_BASE64 }],
  }));
  server.registerResource(
    'watched-resource',
    'test://watched-resource',
    { description: 'A resource clients may subscribe to', mimeType: 'text/plain' },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Watched resource content' }] }),
  );
  server.registerResource(
    'template-data',
    new ResourceTemplate('test://template/{id}/data', { list: undefined }),
    { description: 'JSON data for any id', mimeType: 'application/json' },
    (uri, { id }) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
        },
      ],
    }),
  );
  // McpServer has no subscription support of its own; the fixture only records them.
  server.server.setRequestHandler(SubscribeRequestSchema, ({ params }) => {
    session.subscriptions.add(params.uri);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, ({ params }) => {
    session.subscriptions.delete(params.uri);
    return {};
  });
}

function registerPrompts(server) {
  server.registerPrompt('test_simple_prompt', { description: 'A prompt without arguments' }, () => ({
    messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }],
  }));

  const suggestions = ['paris', 'park', 'party', 'testValue1', 'testValue2'];
  server.registerPrompt(
    'test_prompt_with_arguments',
    {
      description: 'A prompt with two arguments',
      argsSchema: {
        // completable() is what makes McpServer answer completion/complete for this argument.
        arg1: completable(z.string().describe('First test argument'), (value) => suggestions.filter((s) => s.startsWith(value))),
        arg2: z.string().describe('Second test argument'),
      },
    },
    ({ arg1, arg2 }) => ({
      messages: [{ role: 'user', content: { type: 'text', text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` } }],
    }),
  );

  server.registerPrompt(
    'test_prompt_with_embedded_resource',
    { description: 'A prompt embedding a resource', argsSchema: { resourceUri: z.string().describe('URI of the resource to embed') } },
    ({ resourceUri }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'resource',
            resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' },
          },
        },
        { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
      ],
    }),
  );

  server.registerPrompt('test_prompt_with_image', { description: 'A prompt with an image' }, () => ({
    messages: [
      { role: 'user', content: { type: 'image', data: RED_PIXEL_PNG_BASE64, mimeType: 'image/png' } },
      { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
    ],
  }));
}

/** Replaces the SDK's handler so the tools can read the level (the SDK keeps it private). */
function registerLogLevel(server, session) {
  server.server.setRequestHandler(SetLevelRequestSchema, ({ params }) => {
    session.logLevel = params.level;
    return {};
  });
}

// ---------------------------------------------------------------------------------------------
// stdio
