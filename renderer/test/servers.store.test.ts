/**
 * The servers store against a real daemon: the list it loads, a refused call shown without losing
 * the list, server state and log lines followed live, lifecycle actions, a server added by a config
 * reload, and the list read again after the event stream dropped and came back.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLE_FILE, openPage, settle, sharedPage } from './daemon';

const shared = sharedPage();

const servers = () => shared.page.stores.servers.getState();
const example = () => shared.daemon.runtime.supervisor.get('example')!;

describe('the servers store', () => {
  it('starts idle, is loading while asked, then holds the servers with their CPU and memory', async () => {
    const fresh = await openPage(shared.daemon, { live: false });
    const store = fresh.stores.servers;
    expect(store.getState()).toMatchObject({ status: 'idle', servers: [] });
    const loading = store.getState().load();
    expect(store.getState().status).toBe('loading');
    await loading;
    expect(store.getState()).toMatchObject({
      status: 'ready',
      error: undefined,
      servers: [{ name: 'example', state: 'running', toolCount: 3 }],
    });
    expect(store.getState().resources.example).toMatchObject({ server: 'example' });
  });

  it('shows a refused load as an error, keeps the servers it had, and clears the error on the next load', async () => {
    await servers().load();
    await shared.page.whileRefused(() => servers().load());
    expect(servers().status).toBe('error');
    expect(servers().error).toMatch(/token/i);
    expect(servers().servers.map((server) => server.name)).toEqual(['example']);
    expect(shared.page.stores.connection.getState().unauthorized).toBe(servers().error);
    await servers().load();
    expect(servers()).toMatchObject({ status: 'ready', error: undefined });
  });

  it('follows a server’s state live', async () => {
    await servers().load();
    await example().stop();
    await settle(() => expect(servers().servers[0]?.state).toBe('stopped'));
    expect(servers().resources.example).toBeUndefined();
    await example().start();
    await settle(() => expect(servers().servers[0]?.state).toBe('running'));
  });

  it('marks the action in progress and clears it after; a refusal is an error with the reason', async () => {
    const done = servers().act('example', 'restart');
    expect(servers().pending.example).toBe('restart');
    await done;
    expect(servers().pending.example).toBeUndefined();
    expect(servers().details.example).toMatchObject({ name: 'example' });
    await expect(servers().act('nope', 'start')).rejects.toThrow(/no server named "nope"/);
    expect(servers().pending.nope).toBeUndefined();
    expect(servers().servers.map((server) => server.name)).toEqual(['example']);
  });

  it('keeps a bounded live log tail once it is watched', async () => {
    await servers().loadLogs('example');
    const before = servers().logs.example!.length;
    example().logs.append('stderr', 'a line for the store');
    await settle(() => expect(servers().logs.example).toHaveLength(before + 1));
    expect(servers().logs.example!.at(-1)?.line).toBe('a line for the store');
    servers().clearLogs('example');
    expect(servers().logs.example).toEqual([]);
  });

  it('lists a server a config reload added, and shows the problems of a refused reload', async () => {
    const { file } = shared.daemon.runtime.hotReload.config;
    try {
      const twice = { ...EXAMPLE_FILE, mcpServers: { ...EXAMPLE_FILE.mcpServers, second: EXAMPLE_FILE.mcpServers.example } };
      expect((await shared.daemon.runtime.hotReload.reload(JSON.stringify(twice))).ok).toBe(true);
      await settle(() =>
        expect(
          servers()
            .servers.map((server) => server.name)
            .sort(),
        ).toEqual(['example', 'second']),
      );
      expect((await shared.daemon.runtime.hotReload.reload('{"mcpServers": {"bad": {}}}')).ok).toBe(false);
      await settle(() => expect(servers().configIssues.length).toBeGreaterThan(0));
      expect(servers().configIssues[0]?.path).toMatch(/^mcpServers\.bad/);
    } finally {
      expect((await shared.daemon.runtime.hotReload.reload(JSON.stringify(file))).ok).toBe(true);
    }
    await settle(() => expect(servers().servers.map((server) => server.name)).toEqual(['example']));
    expect(servers().configIssues).toEqual([]);
  });

  it('reads the list again when the stream comes back after a drop, so a change it missed shows', async () => {
    await servers().load();
    await shared.page.whileDropped(async () => {
      await example().stop();
      expect(servers().servers[0]?.state).toBe('running');
    });
    await settle(() => expect(servers().servers[0]?.state).toBe('stopped'));
    await example().start();
    await settle(() => expect(servers().servers[0]?.state).toBe('running'));
  });
});
