#!/usr/bin/env node
// A stdio MCP server written by hand (no SDK), whose answers are not in the form JSON.stringify
// gives: spaces around every token and the id after the result. A proxy that parses and
// serialises an answer again changes its bytes; one that forwards them does not.
//
// One tool:
//   big { piece, times, isError } → answers with this line (a `piece` of JSON string text, already
//     escaped, repeated `times` times):
//     {"jsonrpc":"2.0", "result" : { "content" : [ { "type" : "text" , "text" : "<piece × times>" } ]<, "isError" : true> } , "id" : <id>}
import { createInterface } from 'node:readline';

const write = (text) => process.stdout.write(`${text}\n`);
const answer = (id, result) => write(JSON.stringify({ jsonrpc: '2.0', id, result }));

/** The result's JSON text of `big`, exactly as it is written. */
function bigResult({ piece, times, isError }) {
  return `{ "content" : [ { "type" : "text" , "text" : "${String(piece).repeat(Number(times))}" } ]${isError ? ' , "isError" : true' : ''} }`;
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const message = JSON.parse(line);
  if (message.id === undefined) return; // notifications
  switch (message.method) {
    case 'initialize':
      answer(message.id, {
        protocolVersion: message.params.protocolVersion,
        capabilities: { tools: {} },
        serverInfo: { name: 'raw-answer-server', version: '1.0.0' },
      });
      return;
    case 'tools/list':
      answer(message.id, {
        tools: [{ name: 'big', inputSchema: { type: 'object', properties: { piece: { type: 'string' }, times: { type: 'number' } } } }],
      });
      return;
    case 'tools/call':
      write(`{"jsonrpc":"2.0", "result" : ${bigResult(message.params.arguments)} , "id" : ${JSON.stringify(message.id)}}`);
      return;
    case 'ping':
      answer(message.id, {});
      return;
    default:
      write(JSON.stringify({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: `no method ${message.method}` } }));
  }
});
