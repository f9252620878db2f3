/** Small schemas several operations share. */
import { z } from 'zod';
import { ERROR_CODES } from '../../errors.js';

/** A point in time, in milliseconds since the epoch. */
export const timestamp = z.number().int().nonnegative().describe('milliseconds since the epoch');

export const durationMs = z.number().nonnegative().describe('milliseconds');

/** A JSON object whose shape this API does not constrain (a tool's input schema, its arguments). */
export const jsonObject = z.record(z.string(), z.unknown());

/** A server name as written in `mcpServers`. */
export const serverName = z.string().min(1).max(256).describe('server name, as in mcpServers');

/** A tool name as the server reports it. */
export const toolName = z.string().min(1).max(256).describe("the tool's name on its server");

/** Page size for list operations: 1 … 1000. */
export const pageLimit = (fallback: number) =>
  z.number().int().min(1).max(1000).optional().describe(`page size, 1 to 1000; default ${fallback}`);

/** The `nextCursor` of the previous page. */
export const pageCursor = z.string().min(1).max(64).optional().describe('nextCursor of the previous page');

/** A page of items, newest first; `nextCursor` is set while older items may remain. */
export function pageOf<Item extends z.ZodType>(item: Item) {
  return z.object({ items: z.array(item), nextCursor: z.string().optional() });
}

/** A problem found in a document, at a JSON path such as `mcpServers.github.env.TOKEN` or `(file)`. */
export const issueSchema = z.object({ path: z.string(), message: z.string() });

/** The body of every error response: `{ error: { code, message, details } }`. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
