// What reading a 10 MB stdout line costs a process, three ways, with no daemon around it: the
// floor under the daemon's CPU per big answer (big-cpu.mjs), and the experiment that says where
// the next saving is. A child writes `--lines` JSON-RPC result lines of `--bytes` characters, one
// after another (each after the previous one was forwarded); this process forwards each line to a
// TCP sink (another process on 127.0.0.1) and reports its own CPU and GC time per line.
//
//   stream  the child's stdout as a stream: a new buffer per read, kept until the line ends (the
//           daemon's way since 0ec6727);
//   onread  the same pipe read into one reused 64 KB buffer (net.Socket's `onread`, on the pipe
//           handle taken from the child's stdout: an internal field, so an experiment, not product
//           code), copied into one reused arena per line;
//   copy    the stream's buffers copied into one reused arena as they come (no reuse of reads).
//
//   node bench/soak/big-read.mjs [--lines 10] [--bytes 10000000] [--rounds 2] [--json <file>]
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { provenance } from '../provenance.mjs';

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '10' },
    bytes: { type: 'string', default: '10000000' },
    rounds: { type: 'string', default: '2' },
    mode: { type: 'string' },
    json: { type: 'string' },
  },
});
const lines = Number(values.lines);
const bytes = Number(values.bytes);
const NEWLINE = 0x0a;

const PRODUCER = `
const text = 'x'.repeat(${bytes});
let id = 0;
const send = () => {
  if (id >= ${lines}) process.exit(0);
  process.stdout.write('{"result":{"content":[{"type":"text","text":"' + text + '"}]},"jsonrpc":"2.0","id":' + id++ + '}\\n');
};
process.stdin.on('data', send);
send();`;

const SINK = `require('node:net').createServer((s) => s.resume()).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;

/** One mode in this process: CPU and GC ms per line. */
async function measure(mode, port) {
  let gcMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  observer.observe({ entryTypes: ['gc'] });
  const sink = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => sink.once('connect', resolve));
  const child = spawn(process.execPath, ['-e', PRODUCER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const start = process.cpuUsage();
  let forwarded = 0;
  const finished = new Promise((resolve) => {
    const next = () => {
      if (++forwarded === lines) resolve();
      else child.stdin.write('n');
    };
    const arena = Buffer.allocUnsafe(bytes + 1024);
    let length = 0;
    const append = (buffer, end) => {
      buffer.copy(arena, length, 0, end);
      length += end;
    };
    const endLine = () => {
      sink.write(arena.subarray(0, length));
      sink.write('\n', next);
      length = 0;
    };
    if (mode === 'stream') {
      let parts = [];
      child.stdout.on('data', (chunk) => {
        const newline = chunk.indexOf(NEWLINE);
        if (newline === -1) return void parts.push(chunk);
        parts.push(chunk.subarray(0, newline));
        const pieces = parts;
        parts = [];
        sink.cork();
        for (const piece of pieces) sink.write(piece);
        sink.write('\n', next);
        sink.uncork();
      });
    } else if (mode === 'copy') {
      child.stdout.on('data', (chunk) => {
        const newline = chunk.indexOf(NEWLINE);
        append(chunk, newline === -1 ? chunk.length : newline);
        if (newline !== -1) endLine();
      });
    } else {
      const handle = child.stdout._handle;
      child.stdout._handle = null;
      const reader = new net.Socket({
        handle,
        onread: {
          buffer: Buffer.allocUnsafe(64 * 1024),
          callback(read, buffer) {
            const newline = buffer.subarray(0, read).indexOf(NEWLINE);
            append(buffer, newline === -1 ? read : newline);
            if (newline !== -1) endLine();
          },
        },
      });
      reader.resume();
    }
  });
  await finished;
  const used = process.cpuUsage(start);
  observer.disconnect();
  child.kill();
  sink.destroy();
  return { cpuMs: (used.user + used.system) / 1000 / lines, gcMs: gcMs / lines };
}

if (values.mode) {
  // One mode, in a fresh process (so one mode's garbage is not another's).
  const result = await measure(values.mode, Number(process.env.BIG_READ_SINK_PORT));
  console.log(JSON.stringify(result));
} else {
  const meta = { ...provenance(resolve(dirname(fileURLToPath(import.meta.url)), '../..')), lines, bytes, loadAverageBefore: loadavg() };
  const runs = [];
  const sink = spawn(process.execPath, ['-e', SINK], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve) => sink.stdout.once('data', (data) => resolve(Number(String(data).trim()))));
  try {
    for (let round = 1; round <= Number(values.rounds); round++) {
      for (const mode of ['stream', 'onread', 'copy']) {
        const run = spawn(
          process.execPath,
          [new URL(import.meta.url).pathname, '--mode', mode, '--lines', String(lines), '--bytes', String(bytes)],
          {
            stdio: ['ignore', 'pipe', 'inherit'],
            env: { ...process.env, BIG_READ_SINK_PORT: String(port) },
          },
        );
        let out = '';
        run.stdout.on('data', (data) => (out += data));
        await new Promise((resolve) => run.once('exit', resolve));
        const { cpuMs, gcMs } = JSON.parse(out);
        runs.push({ round, mode, cpuMs, gcMs, load: loadavg()[0] });
        console.log(`round ${round}  ${mode.padEnd(6)}  CPU ${cpuMs.toFixed(1)} ms/line  GC ${gcMs.toFixed(1)} ms/line`);
      }
    }
  } finally {
    sink.kill();
  }
  if (values.json) await writeFile(values.json, `${JSON.stringify({ ...meta, loadAverageAfter: loadavg(), runs }, null, 1)}\n`);
}
