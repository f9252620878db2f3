/**
 * The clients store against a real daemon whose HOME is a temp folder (an isolated machine with a
 * Cursor config): the clients it loads, preview, connect and undo with the list read again, refusals
 * shown per client without losing what it had, and a stream that drops and comes back. No live event
 * concerns client files: the page reads them when it opens and after each change it makes.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPage, sharedPage } from './daemon';

let cursorFile: string;
const CURSOR_TEXT = `${JSON.stringify({ mcpServers: { other: { command: 'other-server' } } }, null, 2)}\n`;

const shared = sharedPage({
  async prepare(daemon) {
    cursorFile = join(daemon.home, '.cursor', 'mcp.json');
    await mkdir(join(daemon.home, '.cursor'), { recursive: true });
    await writeFile(cursorFile, CURSOR_TEXT);
  },
});

const clients = () => shared.page.stores.clients.getState();
const cursor = () => clients().clients.find((client) => client.client === 'cursor')!;

describe('the clients store', () => {
  it('starts idle, is loading while asked, then holds every client’s file on this machine', async () => {
    const fresh = await openPage(shared.daemon, { live: false });
    const store = fresh.stores.clients;
    expect(store.getState()).toMatchObject({ status: 'idle', clients: [], outcomes: {}, errors: {}, pending: {} });
    const loading = store.getState().load();
    expect(store.getState().status).toBe('loading');
    await loading;
    expect(store.getState().status).toBe('ready');
    expect(
      store
        .getState()
        .clients.map((client) => client.client)
        .sort(),
    ).toEqual(['claude-code', 'claude-desktop', 'cline', 'cursor', 'vscode', 'windsurf'].sort());
    expect(store.getState().clients.find((client) => client.client === 'cursor')).toMatchObject({
      path: cursorFile,
      exists: true,
      servers: ['other'],
      connected: [],
    });
  });

  it('previews a connect without writing, connects with a backup, and undoes it', async () => {
    await clients().load();
    const previewing = clients().preview('cursor', 'aggregate');
    expect(clients().pending.cursor).toBe(true);
    await previewing;
    expect(clients().pending.cursor).toBe(false);
    const preview = clients().outcomes.cursor!;
    expect(preview).toMatchObject({ kind: 'preview', change: { client: 'cursor', exists: true, replaced: [] } });
    expect(preview.change!.diff).toContain('+');
    expect(await readFile(cursorFile, 'utf8')).toBe(CURSOR_TEXT);

    expect(await clients().connect('cursor', 'aggregate')).toBe(true);
    const connected = clients().outcomes.cursor!;
    expect(connected).toMatchObject({ kind: 'connected', backupPath: expect.stringContaining(cursorFile) as unknown });
    expect(connected.keyName).toEqual(expect.any(String));
    expect(cursor().connected.length).toBe(1);
    expect(cursor().undo).toMatchObject({ keyName: connected.keyName });

    expect(await clients().undo('cursor')).toBe(true);
    expect(clients().outcomes.cursor).toMatchObject({ kind: 'undone', message: `Restored ${cursorFile}; key revoked.` });
    expect(await readFile(cursorFile, 'utf8')).toBe(CURSOR_TEXT);
    expect(cursor().connected).toEqual([]);
    expect(cursor().undo).toBeUndefined();
  });

  it('shows a refused step on its client, keeping the last outcome, and a refused load keeping the list', async () => {
    await clients().load();
    const outcome = clients().outcomes.cursor;
    expect(await clients().undo('cursor')).toBe(false);
    expect(clients().errors.cursor).toMatch(/nothing to undo/);
    expect(clients()).toMatchObject({ pending: { cursor: false } });
    expect(clients().outcomes.cursor).toBe(outcome);
    await clients().preview('cursor', 'servers');
    expect(clients().errors.cursor).toBeUndefined();

    const had = clients().clients;
    await shared.page.whileRefused(() => clients().load());
    expect(clients()).toMatchObject({ status: 'error', error: expect.stringMatching(/token/i) as unknown });
    expect(clients().clients).toBe(had);
    await clients().load();
    expect(clients()).toMatchObject({ status: 'ready', error: undefined });
  });

  it('keeps its list through a dropped stream; the next load shows a file written meanwhile', async () => {
    await clients().load();
    const had = clients().clients;
    const windsurf = join(shared.daemon.home, '.codeium', 'windsurf');
    await shared.page.whileDropped(async () => {
      await mkdir(windsurf, { recursive: true });
      await writeFile(join(windsurf, 'mcp_config.json'), JSON.stringify({ mcpServers: { docs: { url: 'http://127.0.0.1:9/mcp' } } }));
    });
    expect(clients()).toMatchObject({ status: 'ready', clients: had });
    await clients().load();
    expect(clients().clients.find((client) => client.client === 'windsurf')).toMatchObject({ exists: true, servers: ['docs'] });
  });
});
