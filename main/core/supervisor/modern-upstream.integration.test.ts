/**
 * A server that speaks MCP 2026-07-28 (the SDK v2's own stdio server) behind MCP Orch, which finds
 * out with `server/discover` and speaks 2026-07-28 to it: 2025 clients get its tools, and its
 * `input_required` results as the elicitation requests a 2025 server would send (or -32021 when
 * they cannot take one); a 2026 client gets them as input_required again. The same over Streamable
 * HTTP, where MCP Orch asks by default. A 2025 server behind `protocol: "auto"` is still spoken to
 * in 2025.
 */
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from '@modelcontextprotocol/client';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_HEADERS, fixtureServer, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';

const MODERN = new URL('../mcp/__fixtures__/modern-server.mjs', import.meta.url).pathname;
const ASKING = new URL('../mcp/__fixtures__/asking-server.mjs', import.meta.url).pathname;
const ECHO = new URL('../mcp/__fixtures__/echo-server.mjs', import.meta.url).pathname;

let harness: Harness;
const remotes: ChildProcess[] = [];

/** A fixture serving itself over Streamable HTTP: its MCP URL once it listens. */
async function startRemote(script: string, args: string[]): Promise<string> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  remotes.push(child);
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, 'line')) as [string];
  return `${/listening on (\S+)/.exec(line)![1]}/mcp`;
}

beforeAll(async () => {
  const [modernUrl, dualUrl, legacyUrl] = await Promise.all([
    startRemote(MODERN, ['--http']),
    startRemote(MODERN, ['--http', '--sessions']),
    startRemote(ECHO, ['--http', '--port', '0']),
  ]);
  harness = await startHarness({
    modern: fixtureServer(MODERN, [], { protocol: 'auto' }),
    legacy: fixtureServer(ASKING, [], { protocol: 'auto' }),
    // Streamable HTTP is asked by default: the SDK v2's own server says 2026-07-28, the v1 one does not.
    remote: { url: modernUrl },
    dual: { url: dualUrl },
    legacyRemote: { url: legacyUrl },
  });
});

afterAll(async () => {
  await harness?.dispose();
  for (const child of remotes) child.kill();
});

const textOf = (result: unknown) => (result as { content: { text: string }[] }).content[0]!.text;

describe('a 2026-07-28 server behind MCP Orch', () => {
  it('is found out by server/discover and spoken to in 2026-07-28; a 2025 server is not', () => {
    expect(harness.runtime.supervisor.get('modern')?.initializeResult).toMatchObject({
      protocolVersion: '2026-07-28',
      serverInfo: { name: 'modern-fixture' },
    });
    expect(harness.runtime.supervisor.get('legacy')?.initializeResult?.protocolVersion).toBe('2025-11-25');
    expect(harness.runtime.supervisor.get('remote')?.initializeResult?.protocolVersion).toBe('2026-07-28');
    expect(harness.runtime.supervisor.get('legacyRemote')?.initializeResult?.protocolVersion).toBe('2025-11-25');
  });

  it('takes a refusal over HTTP as the answer to that request alone, and answers ping itself', async () => {
    const client = await harness.connect('remote', 'streamable');
    await client.ping();
    // The fixture has no resources: the server answers 404 with -32601, for this request only.
    await expect(client.listResources()).rejects.toThrow(/-32601|Method not found/);
    expect(harness.runtime.supervisor.get('remote')?.state).toBe('running');
    expect(await client.callTool({ name: 'greet', arguments: { who: 'again' } })).toEqual({
      content: [{ type: 'text', text: 'hello again' }],
    });
  });

  it('speaks to a server of both generations in the generation of each client', async () => {
    const lines = harness.runtime.supervisor
      .get('dual')
      ?.logs.entries()
      .map((entry) => entry.line);
    expect(lines).toContain('speaks MCP 2026-07-28 and 2025: spoken to in the generation of each client');
    const legacy = await harness.connect('dual', 'streamable', { capabilities: { elicitation: {} } });
    legacy.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { name: 'Ada' } }));
    expect(textOf(await legacy.callTool({ name: 'ask_name', arguments: {} }))).toBe('Hello Ada (2025 session)');
    // A 2025 client's subscribe goes to its session (this one has no resources), not to MCP Orch's listen.
    const subscribe = legacy.subscribeResource({ uri: 'note://a' });
    await expect(subscribe).rejects.toThrow(/-32601/);
    await expect(subscribe).rejects.not.toThrow(/does not offer resource subscriptions/);

    // A 2026 client's requests go without the session: this server (as the conformance reference
    // does) takes a request with a session id for a 2025 one.
    const client = new ModernClient(
      { name: 'v2', version: '2.4.0' },
      { capabilities: { elicitation: {} }, versionNegotiation: { mode: 'auto' } },
    );
    client.setRequestHandler('elicitation/create', () => ({ action: 'accept', content: { name: 'Grace' } }));
    await client.connect(new ModernTransport(new URL('/mcp/dual', harness.runtime.url), { requestInit: { headers: AUTH_HEADERS } }));
    try {
      expect(textOf(await client.callTool({ name: 'ask_name', arguments: {} }))).toBe('Hello Grace');
      expect(textOf(await client.callTool({ name: 'greet', arguments: { who: 'you' } }))).toBe('hello you');
    } finally {
      await client.close();
    }
  });

  it('still speaks 2025 to a 2025 server over Streamable HTTP, after asking', async () => {
    const client = await harness.connect('legacyRemote', 'streamable');
    expect(await client.callTool({ name: 'echo', arguments: { text: 'as before' } })).toMatchObject({ content: [{ text: 'as before' }] });
  });

  it('speaks 2026-07-28 over Streamable HTTP too: a 2025 client calls and is asked through it', async () => {
    const client = await harness.connect('remote', 'streamable', { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { name: 'Lin' } }));
    expect(await client.callTool({ name: 'greet', arguments: { who: 'far away' } })).toEqual({
      content: [{ type: 'text', text: 'hello far away' }],
    });
    expect(textOf(await client.callTool({ name: 'ask_name', arguments: {} }))).toBe('Hello Lin');
  });

  it('serves its tools to a 2025 client, in the 2025 form', async () => {
    const client = await harness.connect('modern', 'streamable');
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(['ask_name', 'greet']);
    const result = await client.callTool({ name: 'greet', arguments: { who: 'there' } });
    expect(result).toEqual({ content: [{ type: 'text', text: 'hello there' }] });
  });

  it('asks a 2025 client its input_required questions as elicitation requests, and goes on with the answer', async () => {
    const client = await harness.connect('modern', 'streamable', { capabilities: { elicitation: {} } });
    const asked: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      asked.push(request.params.message);
      return { action: 'accept', content: { name: 'Ada' } };
    });
    expect(textOf(await client.callTool({ name: 'ask_name', arguments: {} }))).toBe('Hello Ada');
    expect(asked).toEqual(['Your name?']);
  });

  it('refuses with -32021 a 2025 client that cannot be asked: the server is told what that client can do', async () => {
    const client = await harness.connect('modern', 'sse');
    await expect(client.callTool({ name: 'ask_name', arguments: {} })).rejects.toThrow(/-32021/);
  });

  it('reaches a 2026 client as input_required again, through the aggregate', async () => {
    const client = new ModernClient(
      { name: 'v2', version: '2.4.0' },
      { capabilities: { elicitation: {} }, versionNegotiation: { mode: 'auto' } },
    );
    client.setRequestHandler('elicitation/create', () => ({ action: 'accept', content: { name: 'Grace' } }));
    await client.connect(new ModernTransport(new URL('/mcp', harness.runtime.url), { requestInit: { headers: AUTH_HEADERS } }));
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      expect(textOf(await client.callTool({ name: 'modern__ask_name', arguments: {} }))).toBe('Hello Grace');
      expect(textOf(await client.callTool({ name: 'legacy__ask_name', arguments: {} }))).toBe('Hello Grace');
    } finally {
      await client.close();
    }
  });
});
