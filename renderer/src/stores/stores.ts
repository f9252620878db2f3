/**
 * Every store of the page, made once per client (no module-level singletons), and the one
 * subscription to the live events that keeps them current: each event goes to the stores it
 * concerns. When the stream comes back after a drop, what was loaded is loaded again.
 */
import type { OrchClient } from '@shared/api/client';
import type { OrchEvent } from '@shared/api/events';
import { createActivityStore } from './activity.store';
import { createClientsStore } from './clients.store';
import { createConfigStore } from './config.store';
import { createConnectionStore } from './connection.store';
import { createImportStore } from './import.store';
import { createKeysStore } from './keys.store';
import { createRunsStore } from './runs.store';
import { createServersStore } from './servers.store';
import { createStatsStore } from './stats.store';
import { createToolsStore } from './tools.store';

export function createStores(client: OrchClient) {
  const connection = createConnectionStore();
  const report = connection.getState().report;
  return {
    client,
    connection,
    servers: createServersStore(client, report),
    stats: createStatsStore(client, report),
    tools: createToolsStore(client, report),
    runs: createRunsStore(client, report),
    activity: createActivityStore(client, report),
    config: createConfigStore(client, report),
    clients: createClientsStore(client, report),
    imports: createImportStore(client, report),
    keys: createKeysStore(client, report),
  };
}

export type Stores = ReturnType<typeof createStores>;

/** Routes one live event to the stores it concerns. */
export function dispatchEvent(stores: Stores, event: OrchEvent): void {
  switch (event.type) {
    case 'server.state':
      stores.servers.getState().applyState(event);
      return;
    case 'server.resources':
      stores.servers.getState().applyResources(event.samples);
      return;
    case 'server.log':
      stores.servers.getState().appendLog(event);
      return;
    case 'call':
      stores.stats.getState().applyCall(event);
      stores.activity.getState().noteCall();
      return;
    case 'run.progress':
      stores.runs.getState().applyProgress(event);
      return;
    case 'config.reload':
      stores.servers.getState().setConfigIssues(event.ok ? [] : (event.issues ?? []));
      stores.config.getState().applyReload(event);
      if (event.ok) void stores.servers.getState().load();
      if (event.ok && stores.tools.getState().status !== 'idle') void stores.tools.getState().load();
      return;
    case 'mode.changed':
      stores.keys.getState().applyMode(event.mode);
      return;
    case 'tools.changed':
      if (event.kinds.includes('tools')) {
        if (stores.tools.getState().status !== 'idle') void stores.tools.getState().load();
        void stores.servers.getState().load();
      }
      return;
  }
}

/**
 * Asks for the first screen's data at once, while React renders the frame, rather than from the
 * effects that run after it: the frame and the answers are ready at about the same time.
 */
export function prefetchFirstScreen(stores: Stores, path: string): void {
  void stores.servers.getState().load();
  if (path !== '/') return;
  void stores.stats.getState().load();
  void stores.keys.getState().loadMode();
}

/** Reloads what the page had loaded: after the stream came back, events may have been missed. */
export function resync(stores: Stores): void {
  void stores.servers.getState().load();
  if (stores.stats.getState().status !== 'idle') void stores.stats.getState().load();
  if (stores.tools.getState().status !== 'idle') void stores.tools.getState().load();
  if (stores.runs.getState().historyStatus !== 'idle') void stores.runs.getState().loadHistory();
}

/** Follows the live events until the returned function is called. */
export function startLiveUpdates(stores: Stores): () => void {
  let dropped = false;
  return stores.client.subscribe((event) => dispatchEvent(stores, event), {
    onStatus: (status) => {
      // The page's data came from the daemon: a stream that then fails means it went away, even if the
      // stream had not opened yet (the data can arrive first).
      if (status === 'closed' && stores.servers.getState().status === 'ready') stores.connection.getState().markReached();
      stores.connection.getState().setStatus(status);
      if (status === 'closed' && stores.connection.getState().everOpen) dropped = true;
      if (status === 'open' && dropped) {
        dropped = false;
        resync(stores);
      }
    },
  });
}
