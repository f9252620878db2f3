/**
 * The import store against a real daemon whose HOME is a temp folder with a Cursor config: the
 * servers it scans (a name clash marked), choosing and renaming, a dry run, a merge applied through
 * hot reload, refusals (a clash not renamed, a refused scan) shown without losing the choices or the
 * scan, and a stream that drops and comes back. No live event concerns other clients' files.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { choiceKey } from '../src/stores/import.store';
import { EXAMPLE, openPage, sharedPage } from './daemon';

const shared = sharedPage({
  async prepare(daemon) {
    await mkdir(join(daemon.home, '.cursor'), { recursive: true });
    const entry = { command: process.execPath, args: [EXAMPLE] };
    await writeFile(join(daemon.home, '.cursor', 'mcp.json'), JSON.stringify({ mcpServers: { example: entry, fresh: entry } }));
  },
});

const imports = () => shared.page.stores.imports.getState();
const found = () =>
  imports()
    .sources.find((source) => source.client === 'cursor')
    ?.servers.map((server) => [server.name, server.clash]);

describe('the import store', () => {
  it('starts idle, is loading while asked, then holds the servers found, a clash marked', async () => {
    const fresh = await openPage(shared.daemon, { live: false });
    const store = fresh.stores.imports;
    expect(store.getState()).toMatchObject({ status: 'idle', sources: [], chosen: {}, busy: false });
    const scanning = store.getState().scan();
    expect(store.getState().status).toBe('loading');
    await scanning;
    expect(store.getState().status).toBe('ready');
    expect(
      store
        .getState()
        .sources.find((source) => source.client === 'cursor')
        ?.servers.map((server) => [server.name, server.clash]),
    ).toEqual([
      ['example', true],
      ['fresh', false],
    ]);
  });

  it('chooses and renames servers; a choice or a name clears the preview, an empty choice sends nothing', async () => {
    await imports().scan();
    const asked = shared.page.line.requests.length;
    expect(await imports().run(true)).toBe(false);
    expect(shared.page.line.requests.length).toBe(asked);
    imports().toggle('cursor', 'fresh', true);
    imports().rename('cursor', 'example', 'example');
    expect(imports().chosen).toEqual({
      [choiceKey('cursor', 'fresh')]: { client: 'cursor', name: 'fresh' },
      [choiceKey('cursor', 'example')]: { client: 'cursor', name: 'example' },
    });
    imports().toggle('cursor', 'example', false);
    expect(await imports().run(true)).toBe(true);
    expect(imports().preview).toMatchObject({ added: ['fresh'], applied: false, clashes: [] });
    expect(imports().preview?.diff).toContain('fresh');
    expect(shared.daemon.runtime.config.servers.map((server) => server.name)).toEqual(['example']);
    imports().rename('cursor', 'fresh', 'renamed');
    expect(imports().chosen[choiceKey('cursor', 'fresh')]).toEqual({ client: 'cursor', name: 'fresh', as: 'renamed' });
    expect(imports().preview).toBeUndefined();
    imports().rename('cursor', 'fresh', 'fresh');
  });

  it('refuses a clash not renamed and keeps the choices; merges once it is renamed, then scans again', async () => {
    imports().toggle('cursor', 'example', true);
    const chosen = imports().chosen;
    expect(await imports().run(false)).toBe(false);
    expect(imports().applyError).toMatch(/example/);
    expect(imports()).toMatchObject({ chosen, busy: false });
    expect(imports().result).toBeUndefined();

    imports().rename('cursor', 'example', 'example2');
    expect(await imports().run(false)).toBe(true);
    expect(imports()).toMatchObject({ chosen: {}, status: 'ready' });
    expect(imports().applyError).toBeUndefined();
    expect(imports().preview).toBeUndefined();
    expect(imports().result).toMatchObject({ applied: true });
    expect([...imports().result!.added].sort()).toEqual(['example2', 'fresh']);
    expect(shared.daemon.runtime.config.servers.map((server) => server.name).sort()).toEqual(['example', 'example2', 'fresh']);
    expect(found()).toEqual([
      ['example', true],
      ['fresh', true],
    ]);
  });

  it('shows a refused scan as an error and keeps the servers it had found', async () => {
    await imports().scan();
    const had = imports().sources;
    await shared.page.whileRefused(() => imports().scan());
    expect(imports()).toMatchObject({ status: 'error', error: expect.stringMatching(/token/i) as unknown });
    expect(imports().sources).toBe(had);
    await imports().scan();
    expect(imports()).toMatchObject({ status: 'ready', error: undefined });
  });

  it('keeps its scan and choices through a dropped stream; the next scan shows a server added meanwhile', async () => {
    await imports().scan();
    imports().toggle('cursor', 'fresh', true);
    const { sources, chosen } = imports();
    const entry = { command: process.execPath, args: [EXAMPLE] };
    await shared.page.whileDropped(() =>
      writeFile(
        join(shared.daemon.home, '.cursor', 'mcp.json'),
        JSON.stringify({ mcpServers: { example: entry, fresh: entry, later: entry } }),
      ),
    );
    expect(imports()).toMatchObject({ status: 'ready', sources, chosen });
    await imports().scan();
    expect(found()).toContainEqual(['later', false]);
  });
});
