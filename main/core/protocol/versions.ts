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

/** The stateless revision served per request (and spoken to servers that say so). */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';
export const MODERN_PROTOCOL_VERSIONS: readonly string[] = [MODERN_PROTOCOL_VERSION];

/** The `_meta` keys of the 2026-07-28 wire, and MCP Orch's own (`inputKey`: the key a question is answered under). */
export const META = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  logLevel: 'io.modelcontextprotocol/logLevel',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
  subscriptionId: 'io.modelcontextprotocol/subscriptionId',
  inputKey: 'dev.mcp-orch/inputKey',
} as const;

/** The questions a server may ask a client, and the capability the client declares to be asked each. */
export const CAPABILITY_OF_QUESTION: Readonly<Record<string, string>> = {
  'elicitation/create': 'elicitation',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots',
};

/** Whether a request carries the 2026-07-28 `_meta` envelope (it names its protocol version). */
export function hasModernEnvelope(message: { params?: Record<string, unknown> }): boolean {
  const meta = message.params?._meta as Record<string, unknown> | undefined;
  return typeof meta?.[META.protocolVersion] === 'string';
}
