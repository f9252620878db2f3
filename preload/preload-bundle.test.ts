import { describe, expect, it } from 'vitest';
import { bundlePreload } from '../scripts/bundle-preload.mjs';

describe('the preload bundle', () => {
  it('is one small CommonJS file that requires electron and nothing else', async () => {
    const text = await bundlePreload({ write: false });
    const required = [...text.matchAll(/require\(["']([^"']+)["']\)/g)].map((match) => match[1]);
    expect([...new Set(required)]).toEqual(['electron']);
    expect(text).toContain('exposeInMainWorld');
    expect(text).toContain('"orch:invoke"');
    // Only the bridge and its channel names: no schema library, no Node modules, no core.
    expect(text).not.toMatch(/zod|node:|better-sqlite3/);
    expect(text.length).toBeLessThan(10_000);
  });
});
