// The suite's reference client for `run-client.mjs`: examples/clients/typescript/everything-client.ts
// of the repository modelcontextprotocol/conformance (not on npm, not copied here), read from the
// checkout given with --reference. It imports its helpers and the suite's own src/ (relative
// imports, some without an extension), so it is bundled with esbuild into the run's temp folder,
// and its package imports (the v1 SDK, zod, jose…) stay imports, resolved from the suite's
// installed dependencies; it runs with the suite's Node 22, as the reference server does in run.mjs.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, symlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const REFERENCE_CLIENT_FILE = 'examples/clients/typescript/everything-client.ts';

/** The SHA-256 (12 hex digits) of the reference client's entry file, named in the results. */
export function referenceClientDigest(reference) {
  return createHash('sha256')
    .update(readFileSync(join(reference, REFERENCE_CLIENT_FILE)))
    .digest('hex')
    .slice(0, 12);
}

/**
 * Bundles the reference client into `<tmpDir>/reference-client/everything-client.mjs` and returns
 * the command the suite runs it with. The helpers it imports run themselves when
 * `import.meta.url` is the script Node started (`runAsCli`): in one bundle every module would
 * share the bundle's URL and start too, so each module but the entry keeps its own file URL.
 */
export async function buildReferenceClient({ reference, tmpDir, tools }) {
  const entry = resolve(reference, REFERENCE_CLIENT_FILE);
  const dir = join(tmpDir, 'reference-client');
  await mkdir(dir, { recursive: true });
  await symlink(tools.nodeModules, join(dir, 'node_modules'), 'dir');
  const outfile = join(dir, 'everything-client.mjs');
  const ownUrl = {
    name: 'own-import-meta-url',
    setup(esbuild) {
      esbuild.onLoad({ filter: /\.ts$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        const contents = args.path === entry ? source : source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href));
        return { contents, loader: 'ts' };
      });
    },
  };
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    outfile,
    logLevel: 'error',
    plugins: [ownUrl],
  });
  return { command: `${tools.node} ${outfile}`, script: outfile };
}
