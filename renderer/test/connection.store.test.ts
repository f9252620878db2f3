/**
 * The connection store: as plain state (the stream's status, the daemon once reached, what failed
 * calls said, and when the "daemon went away" banner shows), then against a real daemon: the stream
 * dropping and coming back, a daemon that goes away after the page's data came though the stream
 * never opened, a refused token, and nothing answering at all.
 */
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, OrchClientError } from '../../shared/api/client';
import { fetchTransport } from '../../shared/api/fetch-transport';
import { createConnectionStore, isLost, isStarting } from '../src/stores/connection.store';
import { createStores, startLiveUpdates } from '../src/stores/stores';
import { openPage, settle, startDaemon, TOKEN, type Daemon } from './daemon';

/** A failed call as the client rejects with it. */
const refusal = (code: OrchClientError['code'], message: string, details?: unknown) =>
  new OrchClientError({ code, message, ...(details ? { details } : {}) });

describe('the connection store as state', () => {
  it('starts connecting, not lost, and counts the daemon reached once the stream opens', () => {
    const store = createConnectionStore();
    expect(store.getState()).toMatchObject({ status: 'connecting', everOpen: false, unreachable: false });
    expect(isLost(store.getState())).toBe(false);
    store.getState().setStatus('closed');
    expect(isLost(store.getState())).toBe(false);
    store.getState().setStatus('open');
    expect(store.getState()).toMatchObject({ status: 'open', everOpen: true });
    store.getState().setStatus('closed');
    expect(isLost(store.getState())).toBe(true);
    store.getState().setStatus('connecting');
    expect(isLost(store.getState())).toBe(true);
    store.getState().setStatus('open');
    expect(isLost(store.getState())).toBe(false);
  });

  it("shows the desktop app's core starting as starting, not lost, until the bridge says open", () => {
    const store = createConnectionStore();
    expect(isStarting(store.getState())).toBe(false);
    store.getState().setStatus('starting');
    expect(isStarting(store.getState())).toBe(true);
    expect(isLost(store.getState())).toBe(false);
    store.getState().setStatus('open');
    expect(isStarting(store.getState())).toBe(false);
    expect(store.getState().everOpen).toBe(true);
  });

  it('counts the daemon reached when the page’s data came, once', () => {
    const store = createConnectionStore();
    let changes = 0;
    store.subscribe(() => changes++);
    store.getState().markReached();
    store.getState().markReached();
    expect(store.getState().everOpen).toBe(true);
    expect(changes).toBe(1);
    store.getState().setStatus('closed');
    expect(isLost(store.getState())).toBe(true);
  });

  it('turns every failure into its message; nothing answering and a refused token are remembered', () => {
    const store = createConnectionStore();
    const { report } = store.getState();
    expect(report(new Error('plain'))).toBe('plain');
    expect(report('a string')).toBe('a string');
    expect(store.getState()).toMatchObject({ unreachable: false });
    expect(store.getState().unauthorized).toBeUndefined();

    const gone = refusal('server_unavailable', 'nobody there', { reason: 'unreachable' });
    expect(report(gone)).toBe('nobody there');
    expect(store.getState().unreachable).toBe(true);
    expect(isLost(store.getState())).toBe(true);
    store.getState().setStatus('open');
    expect(store.getState().unreachable).toBe(false);

    const busy = refusal('server_unavailable', 'server restarting');
    report(busy);
    expect(store.getState().unreachable).toBe(false);

    report(refusal('unauthorized', 'token refused'));
    expect(store.getState().unauthorized).toBe('token refused');
    let changes = 0;
    store.subscribe(() => changes++);
    store.getState().clearUnauthorized();
    store.getState().clearUnauthorized();
    expect(store.getState().unauthorized).toBeUndefined();
    expect(changes).toBe(1);
  });
});

describe('the connection store against a real daemon', () => {
  let daemon: Daemon;

  beforeAll(async () => {
    daemon = await startDaemon();
  });

  afterAll(async () => {
    await daemon?.dispose();
  });

  it('opens with the stream, shows the daemon lost while it is down, and not once it is back', async () => {
    const page = await openPage(daemon);
    const connection = () => page.stores.connection.getState();
    try {
      expect(connection()).toMatchObject({ status: 'open', everOpen: true });
      await page.whileDropped(() => {
        expect(isLost(connection())).toBe(true);
      });
      expect(isLost(connection())).toBe(false);
    } finally {
      page.close();
    }
  });

  it('shows the daemon lost when its stream fails after the page’s data came, though the stream never opened', async () => {
    // The data can arrive before the stream opens; the daemon going away in between is still a daemon gone.
    const page = await openPage(daemon, { live: false });
    page.line.dropStream();
    await page.stores.servers.getState().load();
    const stop = startLiveUpdates(page.stores);
    try {
      await settle(() => expect(isLost(page.stores.connection.getState())).toBe(true));
      expect(page.stores.connection.getState()).toMatchObject({
        everOpen: true,
        status: expect.stringMatching(/closed|connecting/) as unknown,
      });
    } finally {
      stop();
    }
  });

  it('remembers a refused token until it is cleared', async () => {
    const page = await openPage(daemon, { live: false });
    page.line.refuseCalls();
    await page.stores.servers.getState().load();
    expect(page.stores.connection.getState().unauthorized).toMatch(/token/i);
    expect(isLost(page.stores.connection.getState())).toBe(false);
    page.stores.connection.getState().clearUnauthorized();
    expect(page.stores.connection.getState().unauthorized).toBeUndefined();
  });

  it('shows the daemon lost when nothing answers a call', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const stores = createStores(createClient(fetchTransport({ baseUrl: `http://127.0.0.1:${port}`, token: TOKEN })));
    await stores.servers.getState().load();
    expect(stores.servers.getState()).toMatchObject({
      status: 'error',
      error: expect.stringMatching(/no MCP Orch daemon answers/) as unknown,
    });
    expect(stores.connection.getState().unreachable).toBe(true);
    expect(isLost(stores.connection.getState())).toBe(true);
  });
});
