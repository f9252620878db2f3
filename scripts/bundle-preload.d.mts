/** Bundles the preload; with `write: false` answers the bundle's text instead of writing it. */
export function bundlePreload(options: { write: false }): Promise<string>;
export function bundlePreload(options?: { write?: true }): Promise<undefined>;
