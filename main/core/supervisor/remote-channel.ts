/**
 * A channel to a remote MCP server over Streamable HTTP or legacy SSE, on the SDK's client
 * transports (they handle sessions, reconnection and the SSE framing). Streamable HTTP uses the
 * SDK v2 transport, which speaks both generations: a 2025 session, or 2026-07-28 requests with the
 * headers it derives from each request's `_meta` (MCP-Protocol-Version, Mcp-Method, Mcp-Name).
 */
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { errorResponse, isRequest, isResponse, type RequestId, type RpcResponse } from '../protocol/jsonrpc.js';
import type { RpcMessage } from '../protocol/jsonrpc.js';
import type { ChannelCloseInfo, LogSink, MessageChannel } from './channel.js';

export interface RemoteChannelOptions {
  name: string;
  transport: 'sse' | 'streamableHttp';
  url: string;
  headers: Record<string, string>;
  logs: LogSink;
}

export class RemoteChannel implements MessageChannel {
  onmessage?: (message: RpcMessage, size: number) => void;
  onclose?: (info: ChannelCloseInfo) => void;
  readonly pid = undefined;
  private transport: Transport | undefined;
  private closing = false;
  private ended = false;

  constructor(private readonly options: RemoteChannelOptions) {}

  async start(): Promise<void> {
    const { url, headers, transport: kind, logs, name } = this.options;
    const requestInit: RequestInit = { headers };
    // Loaded on first use: most setups have no remote server, and the client transports are heavy.
    const transport: Transport =
      kind === 'sse'
        ? new (await import('@modelcontextprotocol/sdk/client/sse.js')).SSEClientTransport(new URL(url), { requestInit })
        : new (await import('@modelcontextprotocol/client')).StreamableHTTPClientTransport(new URL(url), {
            requestInit,
          });
    transport.onmessage = (message: JSONRPCMessage) => this.onmessage?.(message as RpcMessage, 0);
    transport.onerror = (error) => logs.append('system', `${name}: ${error.message}`);
    transport.onclose = () => this.end(this.closing ? 'stopped' : 'the connection closed');
    this.transport = transport;
    try {
      await transport.start();
    } catch (error) {
      const message = `server "${name}": cannot connect to ${url}: ${(error as Error).message}`;
      logs.append('system', message);
      throw new Error(message);
    }
  }

  send(message: RpcMessage): number {
    if (!this.transport || this.ended) throw new Error(`server "${this.options.name}" is not connected`);
    this.transport.send(message as JSONRPCMessage).catch((error: unknown) => {
      const text = (error as Error).message;
      if (isRequest(message) && (message.method === 'server/discover' || isModernRequest(message))) {
        // 2026-07-28 requests stand alone: a refusal (an error status, with the server's JSON-RPC error
        // when it gave one) answers this request only. The question whether the server speaks it is
        // answered the same way, not with a broken connection.
        this.onmessage?.(refusalOf(message.id, text), 0);
        return;
      }
      this.options.logs.append('system', `send failed: ${text}`);
      // A request that could not be sent gets no answer: end the channel so it fails at once.
      if (isRequest(message)) this.end(`send failed: ${text}`);
    });
    return 0;
  }

  /** Tells the transport the negotiated protocol version (Streamable HTTP sends it as a header). */
  setProtocolVersion(version: string): void {
    const transport = this.transport as { setProtocolVersion?: (v: string) => void } | undefined;
    transport?.setProtocolVersion?.(version);
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.closing = true;
    const transport = this.transport;
    if (this.options.transport === 'streamableHttp' && transport) {
      await (transport as StreamableHTTPClientTransport).terminateSession().catch(() => undefined);
    }
    await transport?.close().catch(() => undefined);
    this.end('stopped');
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.onclose?.({ reason, requested: this.closing });
  }
}

/** Whether a request carries the 2026-07-28 `_meta` envelope. */
function isModernRequest(message: { params?: Record<string, unknown> }): boolean {
  const meta = message.params?._meta as Record<string, unknown> | undefined;
  return typeof meta?.['io.modelcontextprotocol/protocolVersion'] === 'string';
}

/** The answer to a request the server refused over HTTP: its own JSON-RPC error when the body held one. */
function refusalOf(id: RequestId, text: string): RpcResponse {
  const start = text.indexOf('{');
  if (start !== -1) {
    try {
      const body = JSON.parse(text.slice(start)) as RpcResponse;
      if (isResponse(body) && 'error' in body) return { ...body, id };
    } catch {
      // Not JSON: the text says why.
    }
  }
  return errorResponse(id, -32603, text);
}
