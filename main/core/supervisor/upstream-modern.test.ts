import { describe, expect, it } from 'vitest';
import type { RpcRequest } from '../protocol/jsonrpc.js';
import {
  askForInput,
  dress,
  initializeResultOf,
  internalNotification,
  listenFilter,
  internalResult,
  modernEnvelope,
  speaksModern,
} from './upstream-modern.js';
import type { PeerReply, UpstreamPeer } from './upstream-peer.js';

const envelope = modernEnvelope('1.2.3');

function peer(capabilities: Record<string, unknown>, answer: (request: RpcRequest) => PeerReply): UpstreamPeer & { asked: RpcRequest[] } {
  const asked: RpcRequest[] = [];
  return {
    asked,
    clientCapabilities: capabilities,
    deliverNotification: () => undefined,
    askClient: (request) => {
      asked.push(request);
      return Promise.resolve(answer(request));
    },
  };
}

describe('the upstream edge for 2026-07-28 servers', () => {
  it('puts the envelope on a request, keeping its own _meta', () => {
    const request: RpcRequest = { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'x', _meta: { progressToken: 4 } } };
    expect(dress(request, envelope).params).toEqual({
      name: 'x',
      _meta: { progressToken: 4, ...envelope },
    });
    expect(envelope['io.modelcontextprotocol/clientInfo']).toEqual({ name: 'mcp-orch', version: '1.2.3' });
    // The client's own capabilities, when the request is a client's.
    expect(dress(request, envelope, { roots: {} }).params?._meta).toMatchObject({
      'io.modelcontextprotocol/clientCapabilities': { roots: {} },
    });
  });

  it('takes a server for 2026 only when its discover answer lists 2026-07-28, and makes an initialize result of it', () => {
    expect(speaksModern({ jsonrpc: '2.0', id: 0, result: { supportedVersions: ['2026-07-28'] } })).toBe(true);
    expect(speaksModern({ jsonrpc: '2.0', id: 0, result: { supportedVersions: ['2027-01-01'] } })).toBe(false);
    expect(speaksModern({ jsonrpc: '2.0', id: 0, error: { code: -32601, message: 'Method not found' } })).toBe(false);
    expect(speaksModern(undefined)).toBe(false);
    expect(
      initializeResultOf({
        capabilities: { tools: {} },
        instructions: 'hi',
        _meta: { 'io.modelcontextprotocol/serverInfo': { name: 's', version: '1' } },
      }),
    ).toEqual({ protocolVersion: '2026-07-28', capabilities: { tools: {} }, serverInfo: { name: 's', version: '1' }, instructions: 'hi' });
  });

  it('brings results and notifications to the internal form', () => {
    expect(
      internalResult({
        resultType: 'complete',
        ttlMs: 0,
        cacheScope: 'private',
        tools: [],
        _meta: { 'io.modelcontextprotocol/serverInfo': {}, kept: 1 },
      }),
    ).toEqual({ tools: [], _meta: { kept: 1 } });
    const plain = { content: [] };
    expect(internalResult(plain)).toBe(plain);
    expect(internalNotification({ jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged', params: {} })).toBeUndefined();
    expect(
      internalNotification({
        jsonrpc: '2.0',
        method: 'notifications/tools/list_changed',
        params: { _meta: { 'io.modelcontextprotocol/subscriptionId': 0 } },
      }),
    ).toEqual({ jsonrpc: '2.0', method: 'notifications/tools/list_changed', params: {} });
    // An update from MCP Orch's listen: its uri kept, the subscription id taken off.
    expect(
      internalNotification({
        jsonrpc: '2.0',
        method: 'notifications/resources/updated',
        params: { uri: 'note://a', _meta: { 'io.modelcontextprotocol/subscriptionId': 3, kept: true } },
      }),
    ).toEqual({ jsonrpc: '2.0', method: 'notifications/resources/updated', params: { uri: 'note://a', _meta: { kept: true } } });
  });

  it('asks in its listen for the list changes offered and the resources held', () => {
    expect(listenFilter({ tools: { listChanged: true }, resources: { subscribe: true } }, [])).toEqual({ toolsListChanged: true });
    expect(listenFilter({ prompts: { listChanged: true }, resources: { listChanged: true } }, ['note://a'])).toEqual({
      promptsListChanged: true,
      resourcesListChanged: true,
      resourceSubscriptions: ['note://a'],
    });
    expect(listenFilter({ tools: {} }, [])).toBeUndefined();
  });

  it("asks the call's client each question and gathers its answers under the server's keys", async () => {
    const client = peer({ elicitation: {}, roots: {} }, (request) =>
      request.method === 'roots/list' ? { result: { roots: [] } } : { result: { action: 'accept', content: { name: 'Ada' } } },
    );
    const outcome = await askForInput(
      client,
      { who: { method: 'elicitation/create', params: { message: 'Name?' } }, where: { method: 'roots/list' } },
      7,
      new AbortController().signal,
    );
    expect(outcome).toEqual({ answers: { who: { action: 'accept', content: { name: 'Ada' } }, where: { roots: [] } } });
    expect(client.asked.map((request) => request.method)).toEqual(['elicitation/create', 'roots/list']);
    // Each question carries the key it came under, for a 2026 client to be asked under it again.
    expect(client.asked.map((request) => (request.params?._meta as Record<string, unknown>)['dev.mcp-orch/inputKey'])).toEqual([
      'who',
      'where',
    ]);
  });

  it('ends the call with -32021 when the client cannot be asked, and with its refusal when it refuses', async () => {
    const noSampling = peer({ elicitation: {} }, () => ({ result: {} }));
    expect(
      await askForInput(noSampling, { q: { method: 'sampling/createMessage', params: {} } }, 7, new AbortController().signal),
    ).toMatchObject({
      error: { id: 7, error: { code: -32021, data: { requiredCapabilities: { sampling: {} } } } },
    });
    expect(noSampling.asked).toEqual([]);
    const refusing = peer({ elicitation: {} }, () => ({ error: { code: -1, message: 'user closed the dialog' } }));
    expect(await askForInput(refusing, { q: { method: 'elicitation/create', params: {} } }, 8, new AbortController().signal)).toMatchObject(
      {
        error: { id: 8, error: { code: -1, message: 'user closed the dialog' } },
      },
    );
  });
});
