/**
 * The REST API over `fetch`, plus `/api/events` read as a stream, for a browser page and for Node
 * (the CLI, tests) alike. Runtime-neutral: only what browsers and Node share (fetch, streams,
 * TextDecoderStream, timers); no node:*, no DOM, no `process`.
 */
import { createParser } from 'eventsource-parser';
import { encodeInput, type Operation } from './contract.js';
import { orchEventSchema } from './events.js';
import { errorBodySchema } from './operations/common.js';
import { failure, success, type Result } from './result.js';
import type { Transport } from './transport.js';

export interface FetchTransportOptions {
  /** The daemon, e.g. `http://127.0.0.1:8000`; `''` for the page's own origin. */
  baseUrl: string;
  /** The bearer token; a function is asked before every request (the token may change). */
  token?: string | (() => string | undefined);
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Waits before reconnecting the event stream: doubling from `initialMs` up to `maxMs` (default 500 ms, 10 s). */
  reconnect?: { initialMs?: number; maxMs?: number };
}

/** `details.reason` of a failure where nothing answered at all (the CLI exits 3 on it). */
export const UNREACHABLE = 'unreachable';

export function fetchTransport(options: FetchTransportOptions): Transport {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const headers = (accept: string): Record<string, string> => {
    const token = typeof options.token === 'function' ? options.token() : options.token;
    return token ? { accept, authorization: `Bearer ${token}` } : { accept };
  };
  const unreachable = (error: unknown): Result<never> => {
    const cause = (error as { cause?: { code?: unknown } }).cause?.code;
    const where = baseUrl || 'this page’s origin';
    return failure('server_unavailable', `no MCP Orch daemon answers at ${where}${typeof cause === 'string' ? ` (${cause})` : ''}`, {
      reason: UNREACHABLE,
    });
  };

  return {
    async invoke(operation: Operation, input: Record<string, unknown>, signal?: AbortSignal): Promise<Result> {
      const { target, body } = encodeInput(operation, input);
      const requestHeaders = headers('application/json');
      if (body !== undefined) requestHeaders['content-type'] = 'application/json';
      const init: RequestInit = {
        method: operation.method,
        headers: requestHeaders,
        ...(body !== undefined ? { body } : {}),
        ...(signal ? { signal } : {}),
      };
      let response: Response;
      let text: string;
      try {
        response = await fetchImpl(`${baseUrl}${target}`, init);
        text = await response.text();
      } catch (error) {
        if (signal?.aborted) return failure('cancelled', `${operation.id} was abandoned by its caller`);
        return unreachable(error);
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return failure(
          'internal',
          `${baseUrl || 'the daemon'} answered ${response.status} with something other than JSON: is it MCP Orch?`,
          { status: response.status },
        );
      }
      if (response.ok) return success(json);
      const refused = errorBodySchema.safeParse(json);
      if (!refused.success) return failure('internal', `HTTP ${response.status}`, { status: response.status });
      const { code, message, details } = refused.data.error;
      return failure(code, message, details);
    },

    subscribe(listener, subscribeOptions) {
      const controller = new AbortController();
      const initialMs = options.reconnect?.initialMs ?? 500;
      const maxMs = options.reconnect?.maxMs ?? 10_000;
      const status = subscribeOptions?.onStatus ?? (() => undefined);
      const parser = createParser({
        onEvent(message) {
          let data: unknown;
          try {
            data = JSON.parse(message.data);
          } catch {
            return;
          }
          // An event this client does not know (a newer daemon) is skipped, not fatal.
          const event = orchEventSchema.safeParse(data);
          if (event.success) listener(event.data);
        },
      });
      const follow = async (): Promise<void> => {
        let delay = initialMs;
        while (!controller.signal.aborted) {
          status('connecting');
          try {
            const response = await fetchImpl(`${baseUrl}/api/events`, { headers: headers('text/event-stream'), signal: controller.signal });
            if (response.ok && response.body) {
              status('open');
              delay = initialMs;
              parser.reset();
              const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
              for (;;) {
                const { value, done } = await reader.read();
                if (done) break;
                parser.feed(value);
              }
            } else {
              await response.body?.cancel();
            }
          } catch {
            // Dropped or refused: try again after a while, unless unsubscribed.
          }
          if (controller.signal.aborted) break;
          status('closed');
          await wait(delay, controller.signal);
          delay = Math.min(delay * 2, maxMs);
        }
      };
      void follow();
      return () => {
        if (controller.signal.aborted) return;
        controller.abort();
        status('closed');
      };
    },
  };
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
