import { describe, expect, it } from 'vitest';
import type { RpcRequest } from '../protocol/jsonrpc.js';
import {
  checkModern,
  classify,
  decodeHeader,
  discoverResult,
  logWanted,
  META,
  removedMethod,
  resultAdditions,
  statusOfError,
} from './modern-wire.js';

const envelope = { [META.protocolVersion]: '2026-07-28', [META.clientCapabilities]: {} };
const modern = (method: string, params: Record<string, unknown> = {}): RpcRequest => ({
  jsonrpc: '2.0',
  id: 7,
  method,
  params: { ...params, _meta: envelope },
});
const headers = (method: string, extra: Record<string, string> = {}) => ({
  'mcp-protocol-version': '2026-07-28',
  'mcp-method': method,
  ...extra,
});

describe('which revision a POST speaks', () => {
  it('takes a body that claims a protocol version in _meta for 2026, anything else for 2025', () => {
    expect(classify([modern('tools/list')], false, {})).toMatchObject({ era: 'modern' });
    const initialize: RpcRequest = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25' } };
    expect(classify([initialize], false, {})).toEqual({ era: 'legacy' });
    expect(classify([{ jsonrpc: '2.0', id: 2, method: 'tools/list' }], false, { 'mcp-protocol-version': '2025-11-25' })).toEqual({
      era: 'legacy',
    });
  });

  it('refuses a 2025 body under a 2026 header, and a batch holding a 2026 request, echoing the id it can', () => {
    expect(classify([{ jsonrpc: '2.0', id: 3, method: 'tools/list' }], false, { 'mcp-protocol-version': '2026-07-28' })).toMatchObject({
      era: 'refused',
      id: 3,
      refusal: { status: 400, code: -32602 },
    });
    expect(classify([modern('tools/list'), modern('prompts/list')], true, {})).toMatchObject({ era: 'refused', refusal: { status: 400 } });
  });
});

describe('a 2026 request against its headers', () => {
  it('gives the envelope of a well-formed request', () => {
    const request = modern('tools/call', { name: 'echo' });
    request.params!._meta = { ...envelope, [META.logLevel]: 'info', [META.clientInfo]: { name: 'c', version: '1' } };
    expect(checkModern(request, headers('tools/call', { 'mcp-name': 'echo' }))).toEqual({
      ok: true,
      envelope: { protocolVersion: '2026-07-28', capabilities: {}, logLevel: 'info', clientInfo: { name: 'c', version: '1' } },
    });
  });

  it('refuses each broken rule with its code and status, in the order the spec gives', () => {
    const noCaps: RpcRequest = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { [META.protocolVersion]: '2026-07-28' } } };
    expect(checkModern(noCaps, headers('tools/list'))).toMatchObject({ status: 400, code: -32602 });
    expect(checkModern(modern('tools/list'), { 'mcp-method': 'tools/list' })).toMatchObject({ status: 400, code: -32020 });
    expect(checkModern(modern('tools/list'), headers('tools/list', { 'mcp-protocol-version': '2025-11-25' }))).toMatchObject({
      status: 400,
      code: -32020,
    });
    const future: RpcRequest = { ...modern('tools/list'), params: { _meta: { ...envelope, [META.protocolVersion]: 'v999.0.0' } } };
    expect(checkModern(future, headers('tools/list', { 'mcp-protocol-version': 'v999.0.0' }))).toEqual({
      status: 400,
      code: -32022,
      message: 'Unsupported protocol version: v999.0.0',
      data: { supported: ['2026-07-28'], requested: 'v999.0.0' },
    });
    expect(checkModern(modern('tools/list'), headers('TOOLS/LIST'))).toMatchObject({ status: 400, code: -32020 });
    expect(checkModern(modern('tools/call', { name: 'echo' }), headers('tools/call'))).toMatchObject({ code: -32020 });
    expect(checkModern(modern('tools/call', { name: 'echo' }), headers('tools/call', { 'mcp-name': 'other' }))).toMatchObject({
      code: -32020,
    });
    expect(checkModern(modern('resources/read', { uri: 'test://a' }), headers('resources/read', { 'mcp-name': 'test://b' }))).toMatchObject(
      {
        code: -32020,
      },
    );
  });

  it('compares header values trimmed, and decodes the base64 form', () => {
    const encoded = `=?base64?${Buffer.from(' naïve tool ').toString('base64')}?=`;
    expect(decodeHeader(encoded)).toBe(' naïve tool ');
    expect(checkModern(modern('tools/call', { name: ' naïve tool ' }), headers('tools/call', { 'mcp-name': encoded }))).toMatchObject({
      ok: true,
    });
    expect(checkModern(modern('tools/call', { name: 'echo' }), headers('tools/call', { 'mcp-name': '  echo ' }))).toMatchObject({
      ok: true,
    });
  });

  it('answers the methods 2026-07-28 removed with 404', () => {
    for (const method of ['initialize', 'ping', 'logging/setLevel', 'resources/subscribe', 'resources/unsubscribe']) {
      expect(removedMethod(method)).toMatchObject({ status: 404, code: -32601 });
    }
    expect(removedMethod('tools/list')).toBeUndefined();
  });
});

describe('results for a 2026 client', () => {
  it('adds only what a result lacks: resultType everywhere, cache hints on the cacheable ones', () => {
    expect(resultAdditions('tools/call', { content: [] })).toEqual({ resultType: 'complete' });
    expect(resultAdditions('tools/list', { tools: [] })).toEqual({ resultType: 'complete', ttlMs: 0, cacheScope: 'private' });
    expect(resultAdditions('resources/read', { contents: [], ttlMs: 5, resultType: 'complete' })).toEqual({ cacheScope: 'private' });
    expect(resultAdditions('tools/call', { resultType: 'input_required', inputRequests: {} })).toEqual({});
  });

  it('makes the discover result from the session’s initialize answer, without the tasks extension', () => {
    const result = discoverResult({
      protocolVersion: '2025-11-25',
      capabilities: { tools: { listChanged: true }, resources: { subscribe: true, listChanged: true }, logging: {}, tasks: {} },
      serverInfo: { name: 'github', version: '1.2.3' },
      instructions: 'use it well',
    });
    expect(result).toEqual({
      supportedVersions: ['2026-07-28'],
      capabilities: { tools: { listChanged: true }, resources: { subscribe: true, listChanged: true }, logging: {} },
      instructions: 'use it well',
      _meta: { [META.serverInfo]: { name: 'github', version: '1.2.3' } },
    });
  });

  it('maps the errors 2026-07-28 gives a status, and passes log messages only at the level asked', () => {
    expect([-32601, -32020, -32021, -32022, -32602, -32603].map(statusOfError)).toEqual([404, 400, 400, 400, 200, 200]);
    expect(logWanted(undefined, 'error')).toBe(false);
    expect(logWanted('warning', 'error')).toBe(true);
    expect(logWanted('warning', 'info')).toBe(false);
  });
});
