import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTempStores } from './__fixtures__/temp-store.js';
import { openDatabase } from './database.js';

const temp = useTempStores();
const FIXTURE = fileURLToPath(new URL('./__fixtures__/call-burst.ts', import.meta.url));
const BATCH = 100;

// POSIX only: it kills the writer with SIGKILL and checks the signal; Windows has no signals.
describe.skipIf(process.platform === 'win32')('crash safety', () => {
  it('a writer SIGKILLed mid-burst leaves an intact file holding only whole batches', async () => {
    const path = temp.path();
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, path, String(BATCH)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const [chunk] = (await Promise.race([
        once(child.stdout, 'data'),
        once(child, 'exit').then(() => [Buffer.from(`exited early: ${stderr}`)]),
      ])) as [Buffer];
      expect(chunk.toString()).toContain('ready');
    } finally {
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    }
    expect(child.signalCode).toBe('SIGKILL');

    const db = openDatabase(path);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const groups = db
        .prepare<[], { session_id: string; n: number }>('SELECT session_id, COUNT(*) AS n FROM calls GROUP BY session_id')
        .all();
      expect(groups.length).toBeGreaterThanOrEqual(20);
      expect(groups.filter((g) => g.n !== BATCH)).toEqual([]);
      const broken = db
        .prepare<[], { n: number }>(
          `SELECT COUNT(*) AS n FROM calls WHERE server != 'burst' OR ok != 0 OR length(error) != bytes_in % 300
             OR tool != 't' || CAST(duration_ms AS INTEGER) OR bytes_out != CAST(duration_ms AS INTEGER)`,
        )
        .get();
      expect(broken?.n).toBe(0);
    } finally {
      db.close();
    }
  });
});
