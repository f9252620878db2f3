#!/usr/bin/env node
// An MCP server that offers everything the official conformance suite
// (@modelcontextprotocol/conformance, server scenarios) asks of a server under test.
// It exists so we can run the suite twice, against this server served natively over HTTP and
// against the same server behind our proxy, and compare the outcomes.
//
//   node conformance-server.mjs --stdio              serve over stdio (what the proxy spawns)
//   node conformance-server.mjs --http --port N      serve at http://127.0.0.1:N/mcp (N may be 0)
//
// Expected names and outputs come from the scenario descriptions of the suite.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import * as z from 'zod';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';

// A 1x1 red pixel.
const RED_PIXEL_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';
const SILENT_WAV_BASE64 = silentWav().toString('base64');
const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];
// Scenarios expect a pause between notifications, so a client must cope with them arriving apart.
const STEP_DELAY_MS = 50;
// How long a client waits before reconnecting after test_reconnection closed its stream.
const RETRY_INTERVAL_MS = 500;

/** 100 ms of 8 kHz mono 16-bit silence: the smallest WAV that players accept. */
function silentWav() {
  const sampleRate = 8000;
  const data = Buffer.alloc(sampleRate / 10 * 2);
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
const isLogged = (session, level) =>
  session.logLevel === undefined || LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(session.logLevel);

// ---------------------------------------------------------------------------------------------
// The MCP server. One instance per client session: McpServer serves a single transport, and
// the log level and subscriptions a client sets are its own.

function createConformanceServer() {
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
  return server;
}

function registerContentTools(server) {
  server.registerTool('test_simple_text', { description: 'Returns one text block' }, () =>
    text('This is a simple text response for testing.'));
  server.registerTool('test_image_content', { description: 'Returns a PNG image' }, () => ({
    content: [{ type: 'image', data: RED_PIXEL_PNG_BASE64, mimeType: 'image/png' }],
  }));
  server.registerTool('test_audio_content', { description: 'Returns a WAV clip' }, () => ({
    content: [{ type: 'audio', data: SILENT_WAV_BASE64, mimeType: 'audio/wav' }],
  }));
  server.registerTool('test_embedded_resource', { description: 'Returns an embedded resource' }, () => ({
    content: [{
      type: 'resource',
      resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' },
    }],
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
    { description: 'Asks the client LLM to complete a prompt', inputSchema: { prompt: z.string().describe('The prompt to send to the LLM') } },
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
      const result = await server.server.elicitInput({
        message,
        requestedSchema: {
          type: 'object',
          properties: {
            username: { type: 'string', description: "User's response" },
            email: { type: 'string', description: "User's email address" },
          },
          required: ['username', 'email'],
        },
      }, relatedTo(extra));
      return text(`User response: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`);
    },
  );

  server.registerTool('test_elicitation_sep1034_defaults', { description: 'Elicitation with defaults (SEP-1034)' }, async (extra) => {
    const result = await server.server.elicitInput({
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
    }, relatedTo(extra));
    return text(`Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`);
  });

  server.registerTool('test_elicitation_sep1330_enums', { description: 'Elicitation with every enum form (SEP-1330)' }, async (extra) => {
    const result = await server.server.elicitInput({
      message: 'Please choose',
      requestedSchema: { type: 'object', properties: sep1330EnumFields() },
    }, relatedTo(extra));
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
  const address = z.object({ street: z.string().optional(), city: z.string().optional() })
    .meta({ $ref: '#/$defs/address' });
  const inputSchema = z.strictObject({ name: z.string().optional(), address: address.optional() }).meta({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $defs: { address: { type: 'object', properties: addressFields } },
  });
  server.registerTool(
    'json_schema_2020_12_tool',
    { description: 'Tool with JSON Schema 2020-12 features', inputSchema },
    (args) => text(`Received ${JSON.stringify(args)}`),
  );
}

function registerResources(server, session) {
  server.registerResource(
    'static-text', 'test://static-text',
    { description: 'A fixed text resource', mimeType: 'text/plain' },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'This is the content of the static text resource.' }] }),
  );
  server.registerResource(
    'static-binary', 'test://static-binary',
    { description: 'A fixed PNG image', mimeType: 'image/png' },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: 'image/png', blob: RED_PIXEL_PNG_BASE64 }] }),
  );
  server.registerResource(
    'watched-resource', 'test://watched-resource',
    { description: 'A resource clients may subscribe to', mimeType: 'text/plain' },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Watched resource content' }] }),
  );
  server.registerResource(
    'template-data', new ResourceTemplate('test://template/{id}/data', { list: undefined }),
    { description: 'JSON data for any id', mimeType: 'application/json' },
    (uri, { id }) => ({
      contents: [{
        uri: uri.href,
        mimeType: 'application/json',
        text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
      }],
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
        { role: 'user', content: { type: 'resource', resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' } } },
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

async function serveStdio() {
  const server = createConformanceServer();
  await server.connect(new StdioServerTransport());
  // The supervisor stops us by closing stdin first.
  process.stdin.once('end', () => void server.close().finally(() => process.exit(0)));
}

// ---------------------------------------------------------------------------------------------
// Streamable HTTP

const MAX_SESSIONS = 200;
const SESSION_IDLE_MS = 5 * 60_000;
const MAX_STORED_EVENTS = 10_000;

/**
 * Keeps the messages sent on SSE streams so a client that reconnects with Last-Event-ID gets
 * what it missed. Event ids are `<streamId>#<sequence>`, so they sort within a stream.
 */
class InMemoryEventStore {
  #events = new Map(); // eventId -> { streamId, sequence, message }, in insertion order
  #sequence = 0;

  async storeEvent(streamId, message) {
    const sequence = ++this.#sequence;
    const eventId = `${streamId}#${sequence}`;
    this.#events.set(eventId, { streamId, sequence, message });
    if (this.#events.size > MAX_STORED_EVENTS) this.#events.delete(this.#events.keys().next().value);
    return eventId;
  }

  async getStreamIdForEventId(eventId) {
    return this.#events.get(eventId)?.streamId;
  }

  async replayEventsAfter(lastEventId, { send }) {
    const last = this.#events.get(lastEventId);
    if (!last) throw new Error(`Unknown event id: ${lastEventId}`);
    for (const [eventId, event] of this.#events) {
      // Priming events carry no message: there is nothing to replay for them.
      const isPriming = Object.keys(event.message).length === 0;
      if (event.streamId === last.streamId && event.sequence > last.sequence && !isPriming) {
        await send(eventId, event.message);
      }
    }
    return last.streamId;
  }
}

/** Owns the live sessions: one transport and one McpServer each; closes idle ones. */
class SessionTable {
  #sessions = new Map(); // sessionId -> { transport, server, lastSeen }
  #sweeper = setInterval(() => this.#closeIdle(), SESSION_IDLE_MS / 5).unref();

  get size() { return this.#sessions.size; }

  get(sessionId) {
    const session = this.#sessions.get(sessionId);
    if (session) session.lastSeen = Date.now();
    return session;
  }

  /** Creates a transport that joins the table once the client's initialize succeeds. */
  async open(transportOptions) {
    const server = createConformanceServer();
    const transport = new StreamableHTTPServerTransport({
      ...transportOptions,
      sessionIdGenerator: randomUUID,
      eventStore: new InMemoryEventStore(),
      retryInterval: RETRY_INTERVAL_MS,
      onsessioninitialized: (sessionId) => this.#sessions.set(sessionId, { transport, server, lastSeen: Date.now() }),
    });
    transport.onclose = () => {
      if (transport.sessionId) this.#sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    return { transport, server };
  }

  async closeAll() {
    clearInterval(this.#sweeper);
    await Promise.allSettled([...this.#sessions.values()].map(({ server }) => server.close()));
    this.#sessions.clear();
  }

  #closeIdle() {
    const cutoff = Date.now() - SESSION_IDLE_MS;
    for (const { server, lastSeen } of this.#sessions.values()) {
      if (lastSeen < cutoff) void server.close();
    }
  }
}

function sendJsonRpcError(res, status, message) {
  res.writeHead(status, { 'Content-Type': 'application/json' })
    .end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

async function handleMcpRequest(req, res, sessions, transportOptions) {
  const sessionId = req.headers['mcp-session-id'];
  if (sessionId !== undefined) {
    const session = sessions.get(sessionId);
    if (!session) return sendJsonRpcError(res, 404, 'Session not found');
    return session.transport.handleRequest(req, res);
  }
  if (req.method !== 'POST') return sendJsonRpcError(res, 400, 'Bad Request: Mcp-Session-Id header is required');
  if (sessions.size >= MAX_SESSIONS) return sendJsonRpcError(res, 503, 'Too many sessions');
  // Without a session id only initialize is valid; the transport itself rejects anything else
  // (and a foreign Host/Origin), after which the unused session is dropped.
  const { transport, server } = await sessions.open(transportOptions);
  await transport.handleRequest(req, res);
  if (transport.sessionId === undefined) await server.close();
}

async function serveHttp(port) {
  const sessions = new SessionTable();
  let transportOptions;
  const httpServer = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname !== '/mcp') return void res.writeHead(404).end();
    handleMcpRequest(req, res, sessions, transportOptions).catch((error) => {
      console.error('conformance fixture: request failed:', error);
      if (!res.headersSent) sendJsonRpcError(res, 500, 'Internal error');
      else res.end();
    });
  });
  await new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, '127.0.0.1', resolve);
  });
  const actualPort = httpServer.address().port;
  // DNS-rebinding protection: only our own loopback names are acceptable Host/Origin values.
  const hosts = [`127.0.0.1:${actualPort}`, `localhost:${actualPort}`, `[::1]:${actualPort}`];
  transportOptions = {
    enableDnsRebindingProtection: true,
    allowedHosts: hosts,
    allowedOrigins: hosts.map((host) => `http://${host}`),
  };
  process.stdout.write(`listening on http://127.0.0.1:${actualPort}/mcp\n`);

  const shutdown = () => {
    httpServer.closeAllConnections();
    httpServer.close();
    void sessions.closeAll().finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const mode = argv.includes('--http') ? 'http' : argv.includes('--stdio') ? 'stdio' : undefined;
  const portIndex = argv.indexOf('--port');
  const port = portIndex === -1 ? 0 : Number(argv[portIndex + 1]);
  if (!mode || !Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('usage: conformance-server.mjs --stdio | --http [--port N]');
    process.exit(2);
  }
  return { mode, port };
}

const { mode, port } = parseArgs(process.argv.slice(2));
await (mode === 'stdio' ? serveStdio() : serveHttp(port));
