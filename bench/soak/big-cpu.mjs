// The daemon's CPU time per big answer, alone: no small calls beside it to subtract, so the figure
// is steadier than the soak's big-answer row on a shared machine. One daemon (this build, or each
// `--orch-root` checkout too, alternately, `--rounds` times), one SDK client per transport pulling
// `blob` answers of `--bytes` one after another; the daemon's utime+stime (/proc) over them, less
// its idle rate measured just before, divided by the answers. Every answer is checked in full.
//
//   node bench/soak/big-cpu.mjs [--answers 10] [--bytes 10000000] [--rounds 2] [--orch-root <built checkout>,…] [--json <file>]
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { blobText } from '../../main/core/mcp/__fixtures__/soak-blob.mjs';
import { provenance } from '../provenance.mjs';
import { checkedCall, expectText } from './calls.mjs';
import { cpuMs } from './proc-stats.mjs';
import { sleep } from './rng.mjs';
import { startOrch } from './soak-targets.mjs';

const IDLE_MS = 2000;
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const { values } = parseArgs({
  options: {
    answers: { type: 'string', default: '10' },
    bytes: { type: 'string', default: '10000000' },
    rounds: { type: 'string', default: '2' },
    'orch-root': { type: 'string' },
    json: { type: 'string' },
  },
});
const answers = Number(values.answers);
const bytes = Number(values.bytes);
const rounds = Number(values.rounds);
const roots = [repoRoot, ...(values['orch-root']?.split(',').map((dir) => resolve(dir)) ?? [])];

/** One daemon of `orchRoot`: per transport, CPU ms per big answer. */
async function measure(orchRoot) {
  const tmpDir = await mkdtemp(join(tmpdir(), 'mcp-orch-bigcpu-'));
  const ctx = {
    repoRoot,
    orchRoot,
    tmpDir,
    fixturePath: join(repoRoot, 'main/core/mcp/__fixtures__/soak-server.mjs'),
    loopbackPreload: pathToFileURL(join(repoRoot, 'bench/proxy/loopback-only.mjs')).href,
    orchToken: randomBytes(24).toString('hex'),
  };
  const instance = await startOrch(ctx);
  const result = { orchRoot, load: loadavg()[0] };
  try {
    for (const id of ['mcp/a', 'sse/a']) {
      const endpoint = instance.endpoints.find((one) => one.id === id);
      const session = await instance.connect(endpoint);
      try {
        const warm = await checkedCall(session.client, 'blob', { bytes, seed: 'warm' }, expectText(blobText(bytes, 'warm')), {
          hangMs: 60_000,
        });
        if (warm.outcome !== 'ok') throw new Error(`${id}: warm-up answer ${warm.outcome}: ${warm.error}`);
        const idleStart = cpuMs(instance.proc.pid);
        await sleep(IDLE_MS);
        const idlePerMs = (cpuMs(instance.proc.pid) - idleStart) / IDLE_MS;
        const start = cpuMs(instance.proc.pid);
        const t0 = performance.now();
        let ok = 0;
        for (let i = 0; i < answers; i += 1) {
          const seed = `big-${i}`;
          const call = await checkedCall(session.client, 'blob', { bytes, seed }, expectText(blobText(bytes, seed)), { hangMs: 60_000 });
          if (call.outcome === 'ok') ok += 1;
        }
        const wallMs = performance.now() - t0;
        const usedMs = cpuMs(instance.proc.pid) - start;
        result[id] = { ok, answers, wallMs, usedMs, idlePerMs, perAnswerMs: (usedMs - idlePerMs * wallMs) / answers };
      } finally {
        await session.close();
      }
    }
  } finally {
    await instance.stop();
    await rm(tmpDir, { recursive: true, force: true });
  }
  return result;
}

const meta = { ...provenance(repoRoot), answers, bytes, rounds, roots, loadAverageBefore: loadavg() };
console.log(
  `big-cpu: ${meta.commit}${meta.dirty ? ' (dirty)' : ''}, ${answers} × ${bytes} bytes, ${rounds} round(s), load ${loadavg()[0].toFixed(2)}`,
);
const runs = [];
for (let round = 1; round <= rounds; round += 1) {
  for (const root of roots) {
    const run = { round, ...(await measure(root)) };
    runs.push(run);
    const figure = (id) => `${run[id].perAnswerMs.toFixed(1)} ms (${run[id].ok}/${run[id].answers} ok)`;
    console.log(
      `round ${round} ${root === repoRoot ? 'this build' : root}: load ${run.load.toFixed(2)}  /mcp/a ${figure('mcp/a')}  /sse/a ${figure('sse/a')}`,
    );
  }
}
if (values.json) await writeFile(values.json, `${JSON.stringify({ ...meta, loadAverageAfter: loadavg(), runs }, null, 1)}\n`);
