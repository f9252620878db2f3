/**
 * The main-process side of the preload bridge (`window.orch`): `invoke` runs one operation through
 * the operations layer's dispatcher, `subscribe` forwards its live events, both as the local admin.
 * Only the app's own frame is served: any other sender is refused (and told so, for `invoke`).
 * The handlers are registered before the window loads and wait for the core: a call made while it
 * starts is answered once it runs, and a subscription says `starting` until its events flow.
 */
import type { OrchEvent } from '../../shared/api/events.js';
import { operations, type OperationId } from '../../shared/api/operations.js';
import { failure, type Result } from '../../shared/api/result.js';
import type { Principal } from '../core/shell-surface.js';
import type { Dispatcher } from '../core/operations/dispatcher.js';
import { IPC_CHANNELS } from '../../shared/api/ipc-channels.js';
import type { ConnectionStatus } from '../../shared/api/transport.js';

/** The part of a `WebContents` the handlers use: who sent, where to answer, when it is gone. */
export interface IpcSender {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

/** The part of an IPC event the handlers use. */
export interface IpcEventLike {
  readonly sender: IpcSender;
  /** The frame that sent the message (`parent` null for a top frame); null once it is gone. */
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

/** The part of `ipcMain` the handlers use. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
}

export interface BridgeHandlerOptions {
  ipcMain: IpcMainLike;
  /** The core's dispatcher once it runs; undefined when the core did not start. */
  core: Promise<Dispatcher | undefined>;
  /** Whose calls these are: the person at the machine (`localPrincipal('desktop')`). */
  principal: Principal;
  /** Whether `event` comes from the app's own frame (see `window-policy.ts`). */
  isTrustedSender(event: IpcEventLike): boolean;
  /** A refused sender, for the log. */
  onRefused?(channel: string, url: string | undefined): void;
}

const KNOWN_IDS = new Set<string>(Object.keys(operations));

interface SenderState {
  sender: IpcSender;
  /** Aborted when the sender goes: its pending calls are abandoned. */
  abort: AbortController;
  /** Set while the sender follows events (before the core runs too: the wish is kept). */
  subscription?: { unsubscribe?: () => void };
}

/** The answer to a call the core cannot take: it did not start, or the bridge was stopped. */
const NO_CORE = failure('server_unavailable', "MCP Orch's core is not running: the tray menu says why");

/** Registers the bridge's handlers; the returned function removes them and ends every subscription. */
export function registerBridgeHandlers(options: BridgeHandlerOptions): () => void {
  const { ipcMain, principal } = options;
  /** Per sender: its event subscription and the signal its pending calls abort on when it goes. */
  const senders = new Map<number, SenderState>();
  /** The core once settled: its dispatcher, or null when it did not start. */
  let settled: Dispatcher | null | undefined;
  let stopped = false;

  const tell = (sender: IpcSender, status: ConnectionStatus): void => {
    if (!sender.isDestroyed()) sender.send(IPC_CHANNELS.status, status);
  };

  /** Starts the flow of events from the settled core to a subscribed sender, and tells it so. */
  const follow = ({ sender, subscription }: SenderState, dispatcher: Dispatcher | null): void => {
    if (!subscription) return;
    if (!dispatcher) return tell(sender, 'closed');
    const result = dispatcher.subscribe(principal, (orchEvent: OrchEvent) => {
      if (!sender.isDestroyed()) sender.send(IPC_CHANNELS.event, orchEvent);
    });
    if (!result.ok) return tell(sender, 'closed');
    subscription.unsubscribe = result.value;
    tell(sender, 'open');
  };

  const end = (state: SenderState): void => {
    state.subscription?.unsubscribe?.();
    delete state.subscription;
  };

  const core = options.core.catch(() => undefined);
  void core.then((dispatcher) => {
    if (stopped) return;
    settled = dispatcher ?? null;
    for (const state of senders.values()) follow(state, settled);
  });

  const stateOf = (sender: IpcSender): SenderState => {
    let state = senders.get(sender.id);
    if (!state) {
      const created: SenderState = { abort: new AbortController(), sender };
      senders.set(sender.id, created);
      sender.once('destroyed', () => {
        created.abort.abort();
        end(created);
        senders.delete(sender.id);
      });
      state = created;
    }
    return state;
  };

  const trusted = (channel: string, event: IpcEventLike): boolean => {
    if (options.isTrustedSender(event)) return true;
    options.onRefused?.(channel, event.senderFrame?.url);
    return false;
  };

  const invoke = async (event: IpcEventLike, id: unknown, input: unknown): Promise<Result> => {
    if (!trusted(IPC_CHANNELS.invoke, event)) return failure('forbidden', 'this frame may not use the MCP Orch bridge');
    if (typeof id !== 'string' || !KNOWN_IDS.has(id)) return failure('bad_request', `unknown operation ${JSON.stringify(id)}`);
    const { signal } = stateOf(event.sender).abort;
    const dispatcher = settled === undefined ? await core : settled;
    if (!dispatcher || stopped) return NO_CORE;
    try {
      return await dispatcher.dispatch(id as OperationId, input, principal, signal);
    } catch (error) {
      // The dispatcher never rejects by contract; if it does, the window still gets an answer.
      return failure('internal', `internal error: ${(error as Error).message}`);
    }
  };

  const subscribe = (event: IpcEventLike): void => {
    if (!trusted(IPC_CHANNELS.subscribe, event)) return;
    const { sender } = event;
    const state = stateOf(sender);
    if (state.subscription) return;
    state.subscription = {};
    if (settled === undefined) tell(sender, 'starting');
    else follow(state, settled);
  };

  const unsubscribe = (event: IpcEventLike): void => {
    const state = senders.get(event.sender.id);
    if (state) end(state);
  };

  ipcMain.handle(IPC_CHANNELS.invoke, (event, id, input) => invoke(event, id, input));
  ipcMain.on(IPC_CHANNELS.subscribe, subscribe);
  ipcMain.on(IPC_CHANNELS.unsubscribe, unsubscribe);
  return () => {
    stopped = true;
    ipcMain.removeHandler(IPC_CHANNELS.invoke);
    ipcMain.removeListener(IPC_CHANNELS.subscribe, subscribe);
    ipcMain.removeListener(IPC_CHANNELS.unsubscribe, unsubscribe);
    for (const state of senders.values()) {
      state.abort.abort();
      if (state.subscription) tell(state.sender, 'closed');
      end(state);
    }
    senders.clear();
  };
}
