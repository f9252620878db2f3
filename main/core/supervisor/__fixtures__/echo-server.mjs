// Answers every JSON-RPC request line with { result: { echo: params } }; exits when stdin closes.
// Method "exit" exits with params.code instead of answering.
import { createInterface } from 'node:readline';

process.stderr.write('echo server ready\n');
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const message = JSON.parse(line);
  if (message.method === 'exit') process.exit(message.params?.code ?? 0);
  if (message.id !== undefined) {
    process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { echo: message.params } }) + '\n');
  }
});
