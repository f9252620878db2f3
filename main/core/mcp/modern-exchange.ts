/**
 * One call of an MCP 2026-07-28 client. The call gets a session of its own, the same proxy or
 * aggregate session a 2025 client gets, told what the request's `_meta` says of the client (as a
 * 2025 `initialize` would). Its answer goes back as JSON, or as an SSE stream when progress or log
 * messages come first. There is no session id, no event id and no resumption: a client that closes
 * the response cancels the call upstream.
 *
 * A 2025 server may ask the client something mid-call (elicitation, sampling, roots). 2026-07-28
 * has no requests from server to client: the questions that come together are answered to the
 * client as one `input_required` result, the call waits in the input bridge (input-bridge.ts), and
 * the client's retry, with its `inputResponses` and the `requestState` it was given, takes the call
 * up again on its own HTTP response: the answers go to the server, and the call goes on.
 */
import type { ServerResponse } from 'node:http';
import {
  errorResponse,
  isRequest,
  isResponse,
  stringifyMessage,
  stringifyResultWith,
  type RequestId,
  type RpcMessage,
  type RpcRequest,
  type RpcResponse,
} from '../protocol/jsonrpc.js';
import { resultFields, serializeRawResultWith, wireByteLength, wireConcat, writeWire, type Wire } from '../protocol/raw-response.js';
import { CAPABILITY_OF_QUESTION, META } from '../protocol/versions.js';
import type { DownstreamChannel, SessionFactory, SessionHandler } from './downstream.js';
import { SSE_HEADERS } from './http-io.js';
import type { InputBridge, WaitingCall } from './input-bridge.js';
import {
  ModernError,
  discoverResult,
  logWanted,
  resultAdditions,
  statusOfError,
  targetOf,
  type RequestEnvelope,
  initializeFor,
} from './modern-wire.js';
import type { SendLedger, SendSession } from './send-ledger.js';

/** The id of the `initialize` the exchange gives its session: never a client's (clients do not send NUL). */
const INITIALIZE_ID = '\u0000mcp-orch-initialize';

/** Questions a server asks within this long of each other go to the client in one `input_required`. */
const GATHER_QUESTIONS_MS = 15;

export interface ModernExchangeOptions {
  ledger: SendLedger;
  bridge: InputBridge;
  /** The endpoint: a server's name, '' for the aggregate (a requestState is good only there). */
  scope: string;
}

interface Question {
  /** The key the client answers it under in `inputResponses`. */
  key: string;
  method: string;
  params: Record<string, unknown> | undefined;
}

let sessionCounter = 0;

export class ModernExchange implements DownstreamChannel, SendSession, WaitingCall {
  readonly transport = 'Streamable HTTP (2026-07-28)';
  readonly sessionId = `request-${(++sessionCounter).toString(36)}`;
  readonly method: string;
  readonly target: unknown;
  private handler: SessionHandler | undefined;
  /** The HTTP response the call is answered on now: the first request's, then each retry's; none while it waits. */
  private res: ServerResponse | undefined;
  private answerId: RequestId;
  private acceptsSse = false;
  private streaming = false;
  private finished = false;
  /** The server's questions not answered yet, by the id MCP Orch asked them under. */
  private readonly questions = new Map<RequestId, Question>();
  private questionCount = 0;
  private gathering: NodeJS.Timeout | undefined;
  /** The server's answer when it came while the call waited for the client. */
  private held: RpcResponse | undefined;

  constructor(
    readonly owner: string,
    private readonly request: RpcRequest,
    private envelope: RequestEnvelope,
    private readonly options: ModernExchangeOptions,
  ) {
    this.answerId = request.id;
    this.method = request.method;
    this.target = targetOf(request);
  }

  /** Makes the call's session with `factory` and runs the call, answering on `res`. */
  start(factory: SessionFactory, res: ServerResponse, acceptsSse: boolean): void {
    this.attach(res, this.request.id, acceptsSse);
    this.handler = factory(this);
    this.handler.handle(initializeFor(INITIALIZE_ID, this.envelope));
  }

  /** The client's retry of a call that waited for input: `retry` carries the answers, `res` takes the call's answer. */
  resume(retry: RpcRequest, envelope: RequestEnvelope, res: ServerResponse, acceptsSse: boolean): void {
    this.envelope = envelope;
    this.attach(res, retry.id, acceptsSse);
    if (this.held) return this.answer(this.held);
    if (this.finished) {
      this.write(200, stringifyMessage(errorResponse(retry.id, -32603, 'The call ended while it waited for input')));
      return;
    }
    const responses = retry.params?.inputResponses;
    if (typeof responses === 'object' && responses !== null && !Array.isArray(responses)) {
      for (const [askId, question] of [...this.questions]) {
        const answer = (responses as Record<string, unknown>)[question.key];
        if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) continue;
        this.questions.delete(askId);
        this.handler?.handle({ jsonrpc: '2.0', id: askId, result: answer as Record<string, unknown> });
      }
    }
    // What was not answered (or not answered as an object) is asked again.
    if (this.questions.size > 0) this.askClient();
  }

  send(message: RpcMessage, relatedRequestId?: RequestId): void {
    if (this.finished) return;
    if (isResponse(message)) {
      if (message.id === INITIALIZE_ID) this.initialized(message);
      else if (message.id === this.request.id) this.answer(message);
      return;
    }
    if (isRequest(message)) return this.question(message);
    // Only what belongs to this call goes on its stream: progress, and log messages it asked for.
    if (relatedRequestId !== this.request.id || message.method === 'notifications/cancelled') return;
    if (message.method === 'notifications/message' && !logWanted(this.envelope.logLevel, message.params?.level)) return;
    if (this.acceptsSse) this.event(stringifyMessage(message));
  }

  abandon(requestId: RequestId): void {
    if (requestId !== this.request.id || this.finished) return;
    // The call was cancelled: nothing more is said.
    if (this.res && !this.res.headersSent) this.res.writeHead(202);
    this.res?.end();
    this.finish();
  }

  /** Ends the call from the server side (its client stopped reading, the endpoint closes). */
  close(): void {
    if (this.finished) return;
    this.cancel('the call was closed by MCP Orch');
    if (this.res && !this.res.writableEnded) this.res.destroy();
  }

  /** The client did not come back with its answers in time. */
  expire(): void {
    if (this.finished) return;
    for (const askId of this.questions.keys()) {
      this.handler?.handle(errorResponse(askId, -32001, 'the client did not answer within the time MCP Orch waits for input'));
    }
    this.questions.clear();
    this.cancel('the client did not answer the questions of the call in time');
  }

  private attach(res: ServerResponse, answerId: RequestId, acceptsSse: boolean): void {
    this.res = res;
    this.answerId = answerId;
    this.acceptsSse = acceptsSse;
    this.streaming = false;
    res.on('close', () => {
      // Only the response the call is answered on now: an earlier one ended when the call waited.
      if (this.res === res && !this.finished) this.cancel('the client closed the response before the answer');
    });
  }

  private initialized(response: RpcResponse): void {
    if ('error' in response) {
      this.answer(errorResponse(this.request.id, response.error.code, response.error.message, response.error.data));
    } else if (this.request.method === 'server/discover') {
      this.answer({ jsonrpc: '2.0', id: this.request.id, result: discoverResult(response.result) });
    } else {
      this.handler!.handle(this.request);
    }
  }

  /** A question from the server, for the client: gathered with those that come with it. */
  private question(message: RpcRequest): void {
    const capability = CAPABILITY_OF_QUESTION[message.method];
    if (!capability || this.envelope.capabilities[capability] === undefined) {
      const why = capability ? `the client did not declare the ${capability} capability` : `${message.method} cannot be asked of a client`;
      this.handler?.handle(errorResponse(message.id, ModernError.MethodNotFound, why));
      this.fail(
        errorResponse(
          this.answerId,
          ModernError.MissingRequiredClientCapability,
          `The server asked ${message.method} mid-call, and ${why}`,
          {
            requiredCapabilities: { [capability ?? message.method]: {} },
          },
        ),
      );
      return;
    }
    const key = this.keyFor(message, capability);
    this.questions.set(message.id, { key, method: message.method, params: message.params });
    this.gathering ??= setTimeout(() => {
      this.gathering = undefined;
      if (this.res) this.askClient();
    }, GATHER_QUESTIONS_MS);
  }

  /**
   * The key the client answers a question under: the one the server named in
   * `_meta["dev.mcp-orch/inputKey"]` when it is free, else `<capability>-<n>`.
   */
  private keyFor(message: RpcRequest, capability: string): string {
    ++this.questionCount;
    const named = (message.params?._meta as Record<string, unknown> | undefined)?.[META.inputKey];
    const taken = (key: string) => [...this.questions.values()].some((question) => question.key === key);
    if (typeof named === 'string' && named.length > 0 && named.length <= 64 && !taken(named)) return named;
    return `${capability}-${this.questionCount}`;
  }

  /** Answers the client `input_required` with the open questions; the call waits for its retry. */
  private askClient(): void {
    const state = this.options.bridge.park(this, { keyId: this.owner, scope: this.options.scope });
    if (state === undefined) {
      this.fail(errorResponse(this.answerId, -32000, 'Too many calls of this key are waiting for input: answer or drop some first'));
      return;
    }
    const inputRequests: Record<string, unknown> = {};
    for (const question of this.questions.values()) {
      inputRequests[question.key] = { method: question.method, ...(question.params ? { params: question.params } : {}) };
    }
    this.write(
      200,
      stringifyMessage({ jsonrpc: '2.0', id: this.answerId, result: { resultType: 'input_required', inputRequests, requestState: state } }),
    );
    this.res = undefined;
  }

  private answer(response: RpcResponse): void {
    if (!this.res) {
      // The server answered while the call waited for the client: the client's retry gets it.
      this.held = response;
      return;
    }
    let status = 200;
    let text: Wire;
    if ('error' in response) {
      status = statusOfError(response.error.code);
      text = stringifyMessage({ ...response, id: this.answerId });
    } else {
      // A big answer read raw keeps its bytes: the additions are decided from its result's top-level fields.
      const additions = resultAdditions(this.request.method, resultFields(response));
      text = serializeRawResultWith(this.answerId, response, additions) ?? stringifyResultWith(this.answerId, response.result, additions);
    }
    this.write(status, text);
    this.finish();
  }

  /** Answers the client `response` and cancels the call upstream. */
  private fail(response: RpcResponse): void {
    if (this.res && 'error' in response) this.write(statusOfError(response.error.code), stringifyMessage(response));
    this.cancel(`MCP Orch ended the call: ${'error' in response ? response.error.message : ''}`);
  }

  /** Writes the last message of the current response and ends it. */
  private write(status: number, text: Wire): void {
    const res = this.res;
    if (!res || res.writableEnded) return;
    if (this.streaming) {
      this.event(text);
      res.end();
      return;
    }
    const bytes = wireByteLength(text);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes });
    writeWire(res, text);
    res.end();
    // What the client has not taken yet counts against the daemon's bounds.
    this.options.ledger.track(res, this, () => undefined);
    this.options.ledger.wrote(res, bytes);
  }

  private event(json: Wire): void {
    const res = this.res;
    if (!res || res.writableEnded) return;
    if (!this.streaming) {
      this.streaming = true;
      res.writeHead(200, SSE_HEADERS);
      this.options.ledger.track(res, this, () => this.close());
    }
    const text = wireConcat('event: message\ndata: ', json, '\n\n');
    writeWire(res, text);
    this.options.ledger.wrote(res, text.length);
  }

  private cancel(reason: string): void {
    if (this.finished) return;
    this.handler?.handle({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: this.request.id, reason } });
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.gathering);
    this.handler?.close();
  }
}
