/**
 * A channel to a remote MCP server over Streamable HTTP or legacy SSE, on the SDK's client
 * transports (they handle sessions, reconnection and the SSE framing). Streamable HTTP uses the
 * SDK v2 transport, which speaks both generations: a 2025 session, or 2026-07-28 requests with the
 * headers it derives from each request's `_meta` (MCP-Protocol-Version, Mcp-Method, Mcp-Name). To a
 * 2026-07-28 server it also sends the SEP-2243 `Mcp-Param-*` headers its tools ask for, and hides the
 * tools whose `x-mcp-header` marks are invalid (param-headers.ts); a 2026-07-28 request is cancelled
 * by closing its response stream, as that generation does over HTTP.
 */
import type { OAuthClientProvider, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { hasModernEnvelope } from '../protocol/versions.js';
import { errorResponse, isRequest, isResponse, type RequestId, type RpcResponse } from '../protocol/jsonrpc.js';
import type { RpcMessage } from '../protocol/jsonrpc.js';
import type { ChannelCloseInfo, LogSink, MessageChannel } from './channel.js';
import { paramHeaders, scanParamHeaders, type HeaderScan } from './param-headers.js';

export interface RemoteChannelOptions {
  name: string;
  transport: 'sse' | 'streamableHttp';
  url: string;
  headers: Record<string, string>;
  logs: LogSink;
  /** Sign-in (OAuth) for a server that asks for it; none: a 401 is an error like any other. */
  auth?: ChannelAuth;
}

/** What a channel needs of sign-in: the SDK's provider, and where to say what the server asked. */
export interface ChannelAuth {
  provider: OAuthClientProvider;
  /** A 401 or 403 of the server with `WWW-Authenticate`: what it said. */
  noteChallenge(challenge: {
    status: number;
    error?: string | undefined;
    scope?: string | undefined;
    resourceMetadataUrl?: URL | undefined;
  }): void;
  /** Why the server needs a sign-in now, in words; undefined when it does not. */
  problem(): string | undefined;
  /** The server refused the sign-in without asking for a new one (a 401 after a refresh): the reason now shown. */
  refused(detail: string): string;
  /** The sign-in flow failed before a browser was wanted (no way to register, say): the reason now shown. */
  failed(error: unknown): string;
}

type SendWithHeaders = (
  message: JSONRPCMessage,
  options?: { headers?: Record<string, string>; requestSignal?: AbortSignal },
) => Promise<void>;

/** The JSON-RPC error code of a request refused because the server needs a sign-in. */
export const NEEDS_SIGN_IN = -32041;

export class RemoteChannel implements MessageChannel {
  onmessage?: (message: RpcMessage, size: number) => void;
  onclose?: (info: ChannelCloseInfo) => void;
  readonly pid = undefined;
  private transport: Transport | undefined;
  /** Beside a 2025 session, the transport 2026-07-28 requests go on: they must not carry the session id. */
  private stateless: Transport | undefined;
  private closing = false;
  private ended = false;
  private streamableTransport: typeof StreamableHTTPClientTransport | undefined;
  /** Ids of the 2026-07-28 `tools/list` requests in flight, whose answers are scanned for `x-mcp-header` marks. */
  private readonly toolLists = new Set<RequestId>();
  /** The marks of each tool last listed in 2026-07-28, by name. */
  private readonly headerScans = new Map<string, HeaderScan>();
  private fetch: typeof jsonLinesAsEvents = jsonLinesAsEvents;
  /**
   * The 2026-07-28 requests in flight over Streamable HTTP, by id: there a request is cancelled by
   * closing its stream (a listen ends so), not by a `notifications/cancelled` POST.
   */
  private readonly openStreams = new Map<RequestId, AbortController>();
  /** Whether the session's stream has its answer (see sessionStream), and who waits for it. */
  private streamKnown = false;
  private streamWaiters: (() => void)[] = [];

  constructor(private readonly options: RemoteChannelOptions) {}

  async start(): Promise<void> {
    const { url, headers, transport: kind, logs, name, auth } = this.options;
    const requestInit: RequestInit = { headers };
    // Loaded on first use: most setups have no remote server, and the client transports are heavy.
    const client = await import('@modelcontextprotocol/client');
    this.streamableTransport = client.StreamableHTTPClientTransport;
    const fetch = auth ? noticingChallenges(url, auth, client.extractWWWAuthenticateParams) : jsonLinesAsEvents;
    this.fetch = this.watchingTheStream(this.resendingOnce(fetch));
    const authProvider = auth?.provider;
    const transport: Transport =
      kind === 'sse'
        ? new client.SSEClientTransport(new URL(url), {
            requestInit,
            fetch: this.fetch,
            ...(authProvider ? { authProvider } : {}),
          })
        : new this.streamableTransport(new URL(url), { requestInit, fetch: this.fetch, ...(authProvider ? { authProvider } : {}) });
    transport.onmessage = (message: JSONRPCMessage) => this.receive(message as RpcMessage);
    transport.onerror = (error) => logs.append('system', `${name}: ${withCause(error)}`);
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
    if (this.closedStream(message)) return 0;
    const modern = isRequest(message) && hasModernEnvelope(message);
    const transport = modern && this.sessionOpened ? this.statelessTransport() : this.transport;
    const overHttp = modern && this.options.transport === 'streamableHttp';
    const headers = overHttp ? this.customHeaders(message) : undefined;
    const stream = overHttp ? new AbortController() : undefined;
    if (stream && isRequest(message)) this.openStreams.set(message.id, stream);
    // The SDK v2 transport takes per-request headers and the request's signal as send options (the v1 type does not say so).
    (transport.send as SendWithHeaders)
      .call(transport, message as JSONRPCMessage, { ...(headers ? { headers } : {}), ...(stream ? { requestSignal: stream.signal } : {}) })
      .catch((error: unknown) => {
        if (stream?.signal.aborted) return; // cancelled: the router has already ended it
        const text = withCause(error);
        if (isRequest(message)) {
          this.toolLists.delete(message.id);
          this.openStreams.delete(message.id);
        }
        const auth = this.options.auth;
        const flowFailed = isSignInFlowFailure(error);
        if (auth && isRequest(message) && (isAuthFailure(error) || flowFailed)) {
          // This request needs a sign-in: it alone fails, saying so; the connection stays.
          const { name } = this.options;
          const why = flowFailed ? auth.failed(error) : (auth.problem() ?? auth.refused(text));
          this.onmessage?.(
            errorResponse(
              message.id,
              NEEDS_SIGN_IN,
              `server "${name}" needs sign-in: ${why} (an admin signs in from the dashboard, the tray or \`mcp-orch login ${name}\`)`,
            ),
            0,
          );
          return;
        }
        if (isRequest(message) && (message.method === 'server/discover' || hasModernEnvelope(message))) {
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

  /**
   * `fetch` that sends a request once more when its connection broke before any answer: a kept-alive
   * connection the server closed (its idle timeout) as the request went out, which the server never
   * read. Browsers do the same. A second break is the answer (the server is gone).
   */
  private resendingOnce(inner: typeof jsonLinesAsEvents): typeof jsonLinesAsEvents {
    return async (input, init) => {
      try {
        return await inner(input, init);
      } catch (error) {
        const body = init?.body;
        if (!brokeBeforeAnswer(error) || init?.signal?.aborted || (body !== undefined && body !== null && typeof body !== 'string'))
          throw error;
        this.options.logs.append('system', `${this.options.name}: the connection broke before an answer (${withCause(error)}): sent again`);
        return inner(input, init);
      }
    };
  }

  /**
   * `fetch` that also notes when the session's stream (a GET without Last-Event-ID) has its answer,
   * and when the server answered `notifications/initialized` with anything but 202 (then the
   * transport opens no stream).
   */
  private watchingTheStream(inner: typeof jsonLinesAsEvents): typeof jsonLinesAsEvents {
    return async (input, init) => {
      const headers = new Headers(init?.headers);
      const opensStream = init?.method === 'GET' && !headers.has('last-event-id');
      const initialized = init?.method === 'POST' && typeof init.body === 'string' && init.body.includes('"notifications/initialized"');
      try {
        const response = await inner(input, init);
        if (opensStream || (initialized && response.status !== 202)) this.streamSettled();
        return response;
      } catch (error) {
        if (opensStream || initialized) this.streamSettled();
        throw error;
      }
    };
  }

  private streamSettled(): void {
    this.streamKnown = true;
    for (const resolve of this.streamWaiters.splice(0)) resolve();
  }

  sessionStream(boundMs: number): Promise<void> {
    if (this.streamKnown || this.options.transport !== 'streamableHttp') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, boundMs);
      timer.unref?.();
      this.streamWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** The `Mcp-Param-*` headers of a 2026-07-28 request (a `tools/call` of a listed tool); notes a `tools/list` to scan its answer. */
  private customHeaders(message: RpcMessage): Record<string, string> | undefined {
    if (!isRequest(message)) return undefined;
    if (message.method === 'tools/list') this.toolLists.add(message.id);
    if (message.method !== 'tools/call' || typeof message.params?.name !== 'string') return undefined;
    const headers = paramHeaders(this.headerScans.get(message.params.name), message.params.arguments);
    return Object.keys(headers).length > 0 ? headers : undefined;
  }

  /** A cancellation of a 2026-07-28 request over Streamable HTTP: its stream is closed instead (true). */
  private closedStream(message: RpcMessage): boolean {
    if (!('method' in message) || message.method !== 'notifications/cancelled' || 'id' in message) return false;
    const id = message.params?.requestId as RequestId | undefined;
    const stream = id === undefined ? undefined : this.openStreams.get(id);
    if (!stream) return false;
    this.openStreams.delete(id!);
    stream.abort();
    return true;
  }

  /** A message from the server: a 2026-07-28 tools list is scanned, its invalid tools left out, before it is passed on. */
  private receive(message: RpcMessage): void {
    if (isResponse(message) && message.id !== null) this.openStreams.delete(message.id);
    if (isResponse(message) && message.id !== null && this.toolLists.delete(message.id) && 'result' in message) {
      const tools = (message.result as { tools?: unknown } | undefined)?.tools;
      if (Array.isArray(tools)) {
        const kept = tools.filter((tool: { name?: unknown; inputSchema?: unknown }) => {
          if (typeof tool?.name !== 'string') return true;
          const scan = scanParamHeaders(tool.inputSchema);
          this.headerScans.set(tool.name, scan);
          if (!scan.ok) this.options.logs.append('system', `${this.options.name}: tool "${tool.name}" left out: ${scan.reason}`);
          return scan.ok;
        });
        if (kept.length !== tools.length) message = { ...message, result: { ...(message.result as object), tools: kept } };
      }
    }
    this.onmessage?.(message, 0);
  }

  /** A second Streamable HTTP transport to the same URL, with no session: made on first use. */
  private statelessTransport(): Transport {
    if (!this.stateless) {
      const { url, headers, logs, name, auth } = this.options;
      const transport = new this.streamableTransport!(new URL(url), {
        requestInit: { headers },
        fetch: this.fetch,
        ...(auth ? { authProvider: auth.provider } : {}),
      });
      transport.onmessage = (message: JSONRPCMessage) => this.receive(message as RpcMessage);
      transport.onerror = (error) => logs.append('system', `${name}: ${withCause(error)}`);
      this.stateless = transport;
    }
    return this.stateless;
  }

  /** Whether the server gave a Streamable HTTP session id (a 2025 session is open). */
  get sessionOpened(): boolean {
    return typeof (this.transport as { sessionId?: unknown } | undefined)?.sessionId === 'string';
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
    await this.stateless?.close().catch(() => undefined);
    this.end('stopped');
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.openStreams.clear();
    this.streamSettled(); // nobody waits for the stream of a connection that is gone
    void this.stateless?.close().catch(() => undefined);
    this.onclose?.({ reason, requested: this.closing });
  }
}

/** An error's message with what caused it: fetch's "fetch failed" says nothing without its cause (e.g. "other side closed"). */
export function withCause(error: unknown): string {
  const { message, cause } = (error ?? {}) as { message?: unknown; cause?: { message?: unknown; code?: unknown } };
  const text = typeof message === 'string' ? message : String(error);
  if (!cause || typeof cause.message !== 'string' || text.includes(cause.message)) return text;
  return `${text} (${cause.message}${typeof cause.code === 'string' ? `, ${cause.code}` : ''})`;
}

/** Whether fetch failed because the connection broke before any answer (reset, or closed by the server). */
export function brokeBeforeAnswer(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (!(error instanceof TypeError) || !cause) return false;
  if (cause.code === 'ECONNRESET' || cause.code === 'EPIPE') return true;
  return cause.code === 'UND_ERR_SOCKET' && cause.message === 'other side closed';
}

/**
 * Whether a transport's error is its sign-in flow failing on what only a person can change (the
 * authorization server cannot register MCP Orch, or names another issuer): a sign-in problem to
 * show, not a crash to retry.
 */
function isSignInFlowFailure(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  if (name === 'RegistrationRejectedError' || name === 'IssuerMismatchError' || name === 'InsecureTokenEndpointError') return true;
  return typeof message === 'string' && /does not support dynamic client registration/.test(message);
}

/** Whether a transport's error means the server wants a (new) sign-in. */
function isAuthFailure(error: unknown): boolean {
  const { name, status } = (error ?? {}) as { name?: unknown; status?: unknown };
  if (name === 'UnauthorizedError' || name === 'InsufficientScopeError') return true;
  return name === 'SdkHttpError' && (status === 401 || status === 403);
}

/** `fetch` that tells `auth` what the server's 401 and 403 challenges said (scope, metadata URL). */
function noticingChallenges(
  url: string,
  auth: ChannelAuth,
  parse: (response: Response) => { resourceMetadataUrl?: URL | undefined; scope?: string | undefined; error?: string | undefined },
): typeof jsonLinesAsEvents {
  const server = new URL(url);
  return async (input, init) => {
    const response = await jsonLinesAsEvents(input, init);
    if ((response.status === 401 || response.status === 403) && response.headers.has('www-authenticate')) {
      const target = new URL(input instanceof Request ? input.url : input.toString());
      if (target.origin === server.origin && target.pathname === server.pathname) {
        const { resourceMetadataUrl, scope, error } = parse(response);
        auth.noteChallenge({ status: response.status, error, scope, resourceMetadataUrl });
      }
    }
    return response;
  };
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

/**
 * `fetch` for the Streamable HTTP transport that also reads an answer some servers give instead of
 * an SSE stream: several JSON-RPC messages as lines of an `application/json` body (the conformance
 * suite's reference server answers so when a call sends notifications first). Such a body is handed
 * on as the SSE stream it stands for; any other answer is handed on untouched.
 */
export async function jsonLinesAsEvents(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  if (!/^application\/json/i.test(response.headers.get('content-type') ?? '') || !response.body) return response;
  const text = await response.text();
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const messages = lines.length > 1 ? lines.every((line) => isJsonObject(line)) : false;
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  if (!messages) return new Response(text, { status: response.status, statusText: response.statusText, headers });
  headers.set('content-type', 'text/event-stream');
  const events = lines.map((line) => `event: message\ndata: ${line}\n\n`).join('');
  return new Response(events, { status: response.status, statusText: response.statusText, headers });
}

function isJsonObject(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
