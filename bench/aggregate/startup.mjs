// Part 2: cold start. From the spawn of `mcp-orch serve` (fresh home: no cached catalog) to
// (a) the listening line, (b) the "Press Ctrl-C" line (every server running or failed) and (c) the
// first aggregate `tools/list` that holds every tool, polled by an SDK client from the moment the
// daemon listens.
import { performance } from 'node:perf_hooks';
import { connectClient, fixtureServers, startDaemon } from './daemon.mjs';
import { waitForTools } from './tools-list.mjs';

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function startOnce(ctx, { servers, toolsPerServer, run }) {
  const daemon = await startDaemon(ctx, { label: `start-${run}`, servers: fixtureServers(ctx, { count: servers, tools: toolsPerServer }) });
  let session;
  try {
    let readyAt;
    let readyError;
    const ready = daemon.ready().then(
      () => {
        readyAt = performance.now();
      },
      (error) => {
        readyError = error;
      },
    );
    session = await connectClient(`${daemon.base}/mcp`);
    const allToolsAt = await waitForTools(session.client, servers * toolsPerServer);
    await ready;
    if (readyError) throw readyError;
    return {
      listeningMs: daemon.listeningAt - daemon.startedAt,
      readyMs: readyAt - daemon.startedAt,
      allToolsMs: allToolsAt - daemon.startedAt,
    };
  } finally {
    await session?.close();
    await daemon.stop();
  }
}

/** `runs` cold starts of a daemon with `servers` × `toolsPerServer`; each figure's median, and every run. */
export async function measureStartup(ctx, { servers, toolsPerServer, runs }) {
  const all = [];
  for (let run = 1; run <= runs; run += 1) all.push(await startOnce(ctx, { servers, toolsPerServer, run }));
  return {
    servers,
    toolsPerServer,
    runs: all,
    listeningMs: median(all.map((entry) => entry.listeningMs)),
    readyMs: median(all.map((entry) => entry.readyMs)),
    allToolsMs: median(all.map((entry) => entry.allToolsMs)),
  };
}
