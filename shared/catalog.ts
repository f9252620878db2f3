/**
 * The lists of a server's catalog, as every part names them: the registry that fetches them, the
 * store that caches them, and the live events and API that show them.
 */

export const LIST_KINDS = ['tools', 'resources', 'resourceTemplates', 'prompts'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

/** One item of a list as the server sent it (a tool, resource, template or prompt). */
export type CatalogItem = Record<string, unknown>;
