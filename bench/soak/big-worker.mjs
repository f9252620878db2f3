// The session that pulls the big answers, in a worker thread of its own: the SDK client's parse and
// check of each 10 MB answer would otherwise stall the event loop that times the small calls, and
// that stall would be counted against the gateway. Started by big-responses.mjs.
import { parentPort, workerData } from 'node:worker_threads';
import { blobText } from '../../main/core/mcp/__fixtures__/soak-blob.mjs';
import { connectHttp } from '../proxy/targets.mjs';
import { checkedCall, expectText } from './calls.mjs';

const { spec, toolName, bigBytes, hangMs } = workerData;
let stop = false;
const session = await connectHttp(spec.kind, spec.url, spec.headers);
parentPort.on('message', (message) => {
  if (message === 'stop') stop = true;
  if (message !== 'go') return;
  void (async () => {
    const big = { calls: 0, ok: 0, wrong: 0, failed: 0, latencies: [], errors: [] };
    for (let i = 0; i < 10_000 && !stop; i += 1) {
      const seed = `big-${i}-${Math.random().toString(36).slice(2, 8)}`;
      const call = await checkedCall(session.client, toolName, { bytes: bigBytes, seed }, expectText(blobText(bigBytes, seed)), { hangMs });
      big.calls += 1;
      if (call.outcome === 'ok') {
        big.ok += 1;
        big.latencies.push(call.t1 - call.t0);
      } else {
        big[call.outcome === 'wrong' ? 'wrong' : 'failed'] += 1;
        if (big.errors.length < 5) big.errors.push(`${call.outcome}: ${call.error}`.slice(0, 200));
        // A transport that cannot carry the answer fails the same way every time: stop after three.
        if (big.wrong + big.failed >= 3) break;
      }
    }
    await session.close();
    parentPort.postMessage({ done: big });
  })();
});
parentPort.postMessage({ ready: true });
