/** Bundles the example server with its dependencies into `outfile` (default dist/example-server/example-server.mjs). */
export function bundleExampleServer(options?: { outfile?: string }): Promise<void>;
