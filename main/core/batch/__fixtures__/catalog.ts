/** A small tool catalog for the batch tests: two servers, typed input and output schemas. */
import type { CatalogTool, ToolCatalog } from '../plan-graph.js';

export const TOOLS: Record<string, CatalogTool> = {
  gh__list_issues: {
    server: 'gh',
    name: 'list_issues',
    annotations: { readOnlyHint: true },
    inputSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        repo: { type: 'string', pattern: '^[^/]+/[^/]+$' },
        state: { enum: ['open', 'closed'] },
        limit: { type: 'integer', minimum: 1 },
      },
      required: ['repo'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        items: { type: 'array', items: { type: 'object', properties: { number: { type: 'integer' } } } },
        total: { type: 'integer' },
      },
      additionalProperties: false,
    },
  },
  gh__close_issue: {
    server: 'gh',
    name: 'close_issue',
    annotations: { idempotentHint: true },
    inputSchema: { type: 'object', properties: { number: { type: 'integer' } }, required: ['number'] },
  },
  notion__create_page: {
    server: 'notion',
    name: 'create_page',
    annotations: { destructiveHint: false },
    inputSchema: {
      type: 'object',
      properties: {
        title: { type: 'string', minLength: 1 },
        content: { type: 'string' },
        count: { type: 'integer' },
        flag: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
        mode: { anyOf: [{ type: 'string', enum: ['a', 'b'] }, { type: 'integer' }] },
      },
      required: ['title'],
    },
  },
  notion__anything: { server: 'notion', name: 'anything' },
};

export const catalog: ToolCatalog = (tool) => TOOLS[tool];
