/**
 * The MCP protocol revisions MCP Orch speaks. Kept here rather than imported from the SDK's
 * `types.js`, which would load every zod schema of the protocol (~15 MB) into a daemon that never
 * validates a message with them; `versions.test.ts` keeps the two lists equal.
 */
export const LATEST_PROTOCOL_VERSION = '2025-11-25';

export const SUPPORTED_PROTOCOL_VERSIONS: readonly string[] = [
  LATEST_PROTOCOL_VERSION,
  '2025-06-18',
  '2025-03-26',
  '2024-11-05',
  '2024-10-07',
];
