// The proxy benchmark's 2026-07-28 client: the SDK v2 `Client` (`@modelcontextprotocol/client`),
// pinned to 2026-07-28, so connecting is one `server/discover` and every call a stateless POST
// (no initialize, no session id). Both 2026 rows (mcp-orch and the SDK v2 server's own serving)
// are driven through this one function.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

export const MODERN_VERSION = '2026-07-28';

/**
 * A connected 2026-07-28 client in the shape the load code uses for every row: `client.callTool(
 * params, schema, options)` (the v1 signature; v2 takes `(params, options)`, so the unused schema
 * slot is dropped here) and `client.listTools()`; `close()` ends it. A server that does not offer
 * 2026-07-28 in `server/discover` fails the connect: there is no fallback to 2025.
 */
export async function connectModern(url, headers) {
  const client = new Client({ name: 'mcp-orch-bench', version: '1.0.0' }, { versionNegotiation: { mode: { pin: MODERN_VERSION } } });
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: headers ? { headers } : undefined });
  try {
    await client.connect(transport);
  } catch (error) {
    await transport.close().catch(() => undefined);
    throw error;
  }
  const negotiated = client.getNegotiatedProtocolVersion();
  if (negotiated !== MODERN_VERSION) {
    await client.close().catch(() => undefined);
    throw new Error(`negotiated ${negotiated ?? 'nothing'} instead of ${MODERN_VERSION}`);
  }
  return {
    client: {
      callTool: (params, _schema, options) => client.callTool(params, options),
      listTools: () => client.listTools(),
    },
    protocolVersion: () => negotiated,
    async close() {
      await client.close().catch(() => undefined);
    },
  };
}
