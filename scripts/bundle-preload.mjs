// Bundles preload/preload.ts into one CommonJS file, dist/preload/preload.cjs. A sandboxed preload
// may require only 'electron' (no relative files, no ESM), so everything else it uses is inlined.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs esbuild; with `write: false` the bundle's text is answered instead of written. */
export async function bundlePreload({ write = true } = {}) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['preload/preload.ts'],
    outfile: 'dist/preload/preload.cjs',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // Electron 40's Chromium and Node.
    target: ['chrome140', 'node22'],
    external: ['electron'],
    write,
    logLevel: write ? 'info' : 'silent',
    legalComments: 'none',
  });
  return write ? undefined : result.outputFiles[0].text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundlePreload();
