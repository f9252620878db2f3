/**
 * The calls of 2026-07-28 clients that wait for input. A 2025 server asked a question mid-call
 * (`elicitation/create`, `sampling/createMessage`, `roots/list`); the client was answered
 * `input_required`, and the call waits, still running upstream, for the client to retry with its
 * `inputResponses`. Each waiting call is named by a `requestState` sealed for the key and the
 * endpoint (protocol/request-state.ts): another key, another endpoint, an altered or an old state
 * finds nothing. A call waits at most `waitMs`, and one key may keep at most `perKey` waiting.
 */
import { RequestStateSeal, type StateBinding } from '../protocol/request-state.js';

/** A call waiting for input, as the bridge sees it. */
export interface WaitingCall {
  /** The method and the name (tool, prompt) or URI it was made for: a retry must repeat them. */
  readonly method: string;
  readonly target: unknown;
  /** The wait is over: the server's questions fail and the call is cancelled upstream. */
  expire(): void;
}

export interface InputBridgeOptions {
  waitMs: number;
  perKey: number;
}

interface Entry {
  call: WaitingCall;
  keyId: string;
  timer: NodeJS.Timeout;
}

export type Taken = { ok: true; call: WaitingCall } | { ok: false; message: string };

export class InputBridge {
  private readonly waiting = new Map<string, Entry>();
  private readonly perKey = new Map<string, number>();
  private next = 0;

  constructor(
    private readonly options: InputBridgeOptions,
    private readonly seal = new RequestStateSeal(),
  ) {}

  /** Calls waiting now, all keys together. */
  get size(): number {
    return this.waiting.size;
  }

  /** Parks `call` for `binding`: the requestState to give the client, or undefined when the key already has too many waiting. */
  park(call: WaitingCall, binding: StateBinding): string | undefined {
    const count = this.perKey.get(binding.keyId) ?? 0;
    if (count >= this.options.perKey) return undefined;
    const handle = `w${++this.next}`;
    const timer = setTimeout(() => {
      if (this.forget(handle)) call.expire();
    }, this.options.waitMs);
    timer.unref();
    this.waiting.set(handle, { call, keyId: binding.keyId, timer });
    this.perKey.set(binding.keyId, count + 1);
    return this.seal.mint(handle, binding, this.options.waitMs);
  }

  /** Takes the call a client's `requestState` names, for a retry of `method` on `target`. */
  take(state: unknown, binding: StateBinding, method: string, target: unknown): Taken {
    const opened = this.seal.open(state, binding);
    if (!opened.ok) {
      const why = opened.reason === 'expired' ? 'has expired' : 'is not one this endpoint gave this key, or was altered';
      return { ok: false, message: `Invalid params: the requestState ${why}` };
    }
    const entry = this.waiting.get(opened.handle);
    if (!entry) return { ok: false, message: 'Invalid params: the requestState names no call waiting for input (answered, or timed out)' };
    if (entry.call.method !== method || entry.call.target !== target) {
      return { ok: false, message: `Invalid params: the requestState was given for another ${entry.call.method} request` };
    }
    this.forget(opened.handle);
    return { ok: true, call: entry.call };
  }

  /** Ends every wait: the calls are expired (the endpoint closes). */
  dispose(): void {
    for (const [handle, entry] of [...this.waiting]) if (this.forget(handle)) entry.call.expire();
  }

  private forget(handle: string): boolean {
    const entry = this.waiting.get(handle);
    if (!entry) return false;
    clearTimeout(entry.timer);
    this.waiting.delete(handle);
    const count = (this.perKey.get(entry.keyId) ?? 1) - 1;
    if (count > 0) this.perKey.set(entry.keyId, count);
    else this.perKey.delete(entry.keyId);
    return true;
  }
}
