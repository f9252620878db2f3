/**
 * The IPC channels between the Electron preload bridge and the main process: part of the contract
 * between processes, so both sides take the names from here. No electron import.
 */
export const IPC_CHANNELS = {
  /** `ipcRenderer.invoke(invoke, id, input)` → `Result`. */
  invoke: 'orch:invoke',
  /** `send(subscribe)`: start delivering events to this frame (once per frame; repeats are ignored). */
  subscribe: 'orch:subscribe',
  /** `send(unsubscribe)`: stop delivering events to this frame. */
  unsubscribe: 'orch:unsubscribe',
  /** main → renderer: one `OrchEvent` per message. */
  event: 'orch:event',
  /**
   * main → renderer: the subscription's `ConnectionStatus`, sent on subscribe and on every change:
   * `starting` while the core starts, `open` once events flow, `closed` when the core is gone.
   */
  status: 'orch:status',
} as const;
