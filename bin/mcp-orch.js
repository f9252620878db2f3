#!/usr/bin/env node
// The published entry point: runs the compiled CLI (built by `npm run build`, which `npm ci` runs).
import('../dist/main/cli/main.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/main/cli')) {
    console.error('mcp-orch is not built yet: run `npm run build` in the checkout first.');
    process.exit(1);
  }
  throw error;
});
