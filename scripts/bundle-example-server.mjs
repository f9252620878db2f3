// Bundles resources/example-server.mjs with its dependencies into one file,
// dist/example-server/example-server.mjs. The desktop app runs it with the user's own `node`
// (the packaged app's RunAsNode fuse is off), from outside the asar archive, where no
// node_modules can be resolved: so it must need nothing but Node's built-in modules.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs esbuild into `outfile` (relative to the repository root). */
export async function bundleExampleServer({ outfile = 'dist/example-server/example-server.mjs' } = {}) {
  await build({
    absWorkingDir: root,
    entryPoints: ['resources/example-server.mjs'],
    outfile,
    bundle: true,
    platform: 'node',
    // ESM for the server's top-level await; CommonJS dependencies get a real `require` for built-ins.
    format: 'esm',
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    // The package's own floor (engines: node >= 20.19); the user's node may be older than Electron's.
    target: ['node20'],
    logLevel: 'warning',
    legalComments: 'none',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleExampleServer();
