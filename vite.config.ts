/**
 * The dashboard's build: `renderer/` bundled into `dist/renderer/`, which the daemon serves at `/`
 * (and the Electron window loads). Pages are split into their own chunks so the first screen loads
 * only what the Overview needs.
 */
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/** codemirror-json-schema's tooltips render markdown with shiki: replaced by escaped text (renderer/src/lib/plain-markdown.ts). */
function plainSchemaMarkdown(): Plugin {
  const replacement = fileURLToPath(new URL('./renderer/src/lib/plain-markdown.ts', import.meta.url));
  return {
    name: 'plain-schema-markdown',
    enforce: 'pre',
    resolveId(source, importer) {
      return source === '../utils/markdown' && importer?.includes('codemirror-json-schema') ? replacement : null;
    },
  };
}

export default defineConfig({
  root: 'renderer',
  base: '/',
  plugins: [plainSchemaMarkdown(), react(), tailwindcss()],
  resolve: { alias: { '@shared': fileURLToPath(new URL('./shared', import.meta.url)) } },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod's sources carry `@__PURE__` comments where Rollup cannot use them; harmless.
        if (warning.code === 'INVALID_ANNOTATION') return;
        warn(warning);
      },
    },
  },
  server: { port: 5173, strictPort: false },
});
