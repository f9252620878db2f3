// The proxy bench's 2026-07-28 rows stand on three parts: the SDK v2 fixture (the floor) must serve
// the echo tools over 2026-07-28, the one client both rows use must really speak 2026-07-28 (and
// refuse a 2025-only server rather than fall back), and the raw load's stateless requests must be
// answered and checked. The report must compare the two rows like the 2025 ones.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Session {
  client: {
    callTool(
      params: { name: string; arguments: Record<string, unknown> },
      schema: undefined,
      options: { timeout: number },
    ): Promise<unknown>;
    listTools(): Promise<{ tools: { name: string }[] }>;
  };
  protocolVersion(): string;
  close(): Promise<void>;
}
interface RawResult {
  requestsPerSec: number;
  non2xx: number;
  errors: number;
  wrongAnswers: number;
  checkedAnswers: number;
}
type Level = { clients: number; p50: number; p99: number; callsPerSec: number };
type Row = { name: string; group?: string; status: string; levels: Level[]; raw?: { requestsPerSec: number; p50: number; p99: number } };

const here = import.meta.dirname;
const load = async <T>(file: string) => (await import(pathToFileURL(join(here, file)).href)) as T;
const { connectModern } = await load<{ connectModern: (url: string, headers?: Record<string, string>) => Promise<Session> }>(
  'modern-client.mjs',
);
const { runRawLoad } = await load<{
  runRawLoad: (url: string, tool: string, options: Record<string, unknown>) => Promise<RawResult>;
}>('http-load.mjs');
const { floorRatios, peerComparison } = await load<{
  floorRatios: (rows: Row[], levels: number[]) => string[];
  peerComparison: (rows: Row[], levels: number[]) => string[];
}>('report.mjs');

const children: ChildProcess[] = [];

/** Spawns a fixture and resolves with its base URL once it prints `listening on <url>`. */
async function serve(script: string, args: string[]): Promise<string> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, 'line')) as [string];
  return /listening on (\S+)/.exec(line)![1]!;
}

let modernUrl: string;
let legacyUrl: string;

beforeAll(async () => {
  [modernUrl, legacyUrl] = await Promise.all([
    serve(join(here, 'modern-echo-server.mjs'), ['--port', '0']).then((base) => `${base}/mcp`),
    serve(join(here, '../../main/core/mcp/__fixtures__/echo-server.mjs'), ['--http', '--port', '0']).then((base) => `${base}/mcp`),
  ]);
});

afterAll(() => {
  for (const child of children) child.kill();
});

describe('the 2026-07-28 rows of bench/proxy', () => {
  it('the SDK v2 fixture serves echo and sleep to the pinned client in 2026-07-28', async () => {
    const session = await connectModern(modernUrl);
    try {
      expect(session.protocolVersion()).toBe('2026-07-28');
      expect((await session.client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(['echo', 'sleep']);
      expect(await session.client.callTool({ name: 'echo', arguments: { text: 'é 2026' } }, undefined, { timeout: 5000 })).toMatchObject({
        content: [{ type: 'text', text: 'é 2026' }],
      });
      expect(await session.client.callTool({ name: 'sleep', arguments: { ms: 1 } }, undefined, { timeout: 5000 })).toMatchObject({
        content: [{ text: 'slept 1' }],
      });
    } finally {
      await session.close();
    }
  });

  it('the client refuses a 2025-only server instead of measuring 2025 under a 2026 name', async () => {
    await expect(connectModern(legacyUrl)).rejects.toThrow(/2026-07-28|negotiat/i);
  });

  it('the raw load sends stateless 2026 calls and checks every answer', async () => {
    const result = await runRawLoad(modernUrl, 'echo', { connections: 2, durationSec: 1, warmupSec: 0, modern: true });
    expect(result).toMatchObject({ non2xx: 0, errors: 0, wrongAnswers: 0 });
    expect(result.checkedAnswers).toBeGreaterThan(0);
  });

  it('the report compares mcp-orch 2026-07-28 with the SDK v2 row, and with its peers', () => {
    const row = (name: string, p50: number, callsPerSec: number): Row => ({
      name,
      status: 'ok',
      levels: [{ clients: 1, p50, p99: p50 * 2, callsPerSec }],
      raw: { requestsPerSec: callsPerSec * 2, p50, p99: p50 * 2 },
    });
    const rows = [row('SDK v2 2026-07-28', 2, 500), row('mcp-orch 2026-07-28', 3, 400)];
    const ratios = floorRatios(rows, [1]).filter((line) => line.startsWith('2026-07-28'));
    expect(ratios[0]).toMatch(/^2026-07-28 vs SDK v2 2026-07-28 @ 1 clients: p50 3\.00 \/ 2\.00, ratio 1\.50 MISS/);
    expect(ratios[0]).toMatch(/calls\/s 400 \/ 500, ratio 0\.80 MISS/);
    expect(ratios[1]).toMatch(/raw HTTP: req\/s 800 \/ 1000 = 0\.80/);
    // p50, p99, calls/s, bad answers and the three raw figures: sleep and RSS are not in these rows.
    const peers = peerComparison([...rows, { ...row('mcp-proxy 2026-07-28', 4, 300), group: 'peer' }], [1]);
    expect(peers).toContain('2026-07-28 vs mcp-proxy 2026-07-28: ahead on all 7 figures');
  });
});
