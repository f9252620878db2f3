// An echo server that surrounds every answer with non-JSON noise on stdout and stderr.
import { createInterface } from 'node:readline';

process.stdout.write('Garbage server v1.0 starting...\n');
process.stderr.write('warning: this server is noisy\n');
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const message = JSON.parse(line);
  process.stdout.write(`not json { before ${message.id}\n`);
  process.stdout.write('42\n[1, 2\n');
  process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { echo: message.params } }) + '\r\n');
  process.stdout.write(`after ${message.id}\n\n`);
  process.stderr.write(`handled request ${message.id}\n`);
});
