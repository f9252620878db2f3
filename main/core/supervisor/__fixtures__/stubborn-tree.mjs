// Spawns a grandchild that ignores SIGTERM, announces its pid as a notification, then ignores
// SIGTERM and stdin close itself. With the argument "crash" it exits with code 1 after announcing.
import { spawn } from 'node:child_process';

const grandchild = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], {
  stdio: 'ignore',
});
grandchild.once('spawn', () => {
  const notice = { jsonrpc: '2.0', method: 'notifications/grandchild', params: { pid: grandchild.pid } };
  process.stdout.write(JSON.stringify(notice) + '\n', () => {
    if (process.argv[2] === 'crash') process.exit(1);
  });
});
process.on('SIGTERM', () => {});
setInterval(() => {}, 1000);
