/**
 * The typed client runs in a browser bundle: bundled by esbuild for the browser platform, it pulls
 * in nothing of Node (esbuild fails on a `node:` import there) and uses no `process` global.
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('the client for the browser', () => {
  it('bundles with esbuild for platform browser, without Node built-ins or process', async () => {
    const here = new URL('.', import.meta.url).pathname;
    const result = await build({
      stdin: {
        contents:
          "export { createClient } from './client.ts'; export { fetchTransport } from './fetch-transport.ts'; export { bridgeTransport } from './bridge.ts';",
        resolveDir: here,
        loader: 'ts',
      },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/from\s+["']node:|require\(/);
    expect(code).not.toMatch(/(?<![\w$.])process\s*[.[]/);
    expect(code).toContain('createClient');
  });

  it('would fail on a Node built-in (the check above can fail)', async () => {
    const bundling = build({
      stdin: { contents: "export { readFileSync } from 'node:fs';", loader: 'ts' },
      bundle: true,
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    await expect(bundling).rejects.toThrow(/node:fs/);
  });
});
