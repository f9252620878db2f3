/**
 * The IPC channels between the preload bridge and the main process. No electron import: the
 * preload bundle and the main process both take the names from here.
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
} as const;
