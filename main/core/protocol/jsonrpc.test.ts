import { describe, expect, it } from 'vitest';
import { preserialize, stringifyMessage, type RpcMessage } from './jsonrpc.js';

describe('stringifyMessage', () => {
  it('is JSON.stringify for ordinary messages and batches', () => {
    const messages: RpcMessage[] = [
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: 1 } },
      { jsonrpc: '2.0', id: 'x', error: { code: -32601, message: 'no' } },
      { jsonrpc: '2.0', id: 2, result: { a: [1, 'é', { b: null }] } },
    ];
    for (const message of messages) expect(stringifyMessage(message)).toBe(JSON.stringify(message));
    expect(JSON.parse(stringifyMessage(messages))).toEqual(messages);
  });

  it('reuses the ready JSON of a preserialised result, under each response id', () => {
    const result = preserialize({ tools: [{ name: 'a__b', inputSchema: { type: 'object' } }] });
    for (const id of [7, 'seven', 0]) {
      const text = stringifyMessage({ jsonrpc: '2.0', id, result });
      expect(JSON.parse(text)).toEqual({ jsonrpc: '2.0', id, result });
    }
  });
});
