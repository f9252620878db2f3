/**
 * The keys store against a real daemon: the API keys it loads (live ones, or all), create, rotate
 * and revoke with the list read again, refusals shown without losing the list, the daemon's mode
 * (asked once however many ask at a time, and switched), and a stream that drops and comes back.
 * No live event concerns keys: the settings page reads them when it opens.
 */
import { describe, expect, it } from 'vitest';
import { openPage, sharedPage } from './daemon';

const shared = sharedPage();

const keys = () => shared.page.stores.keys.getState();
const names = () => keys().keys.map((key) => `${key.name}:${key.status}`);

describe('the keys store', () => {
  it('starts idle, is loading while asked, then holds the keys; a new key’s secret is shown once', async () => {
    const fresh = await openPage(shared.daemon, { live: false });
    const store = fresh.stores.keys;
    expect(store.getState()).toMatchObject({ status: 'idle', keys: [], showAll: false, modePending: false });
    expect(store.getState().mode).toBeUndefined();
    const loading = store.getState().load();
    expect(store.getState().status).toBe('loading');
    await loading;
    expect(store.getState()).toMatchObject({ status: 'ready', keys: [] });
    const { key, secret } = await store.getState().create({ name: 'ci', role: 'viewer' });
    expect(key).toMatchObject({ name: 'ci', role: 'viewer', status: 'active' });
    expect(secret.length).toBeGreaterThan(16);
    expect(store.getState().keys).toEqual([expect.objectContaining({ id: key.id, name: 'ci' })]);
    expect(JSON.stringify(store.getState().keys)).not.toContain(secret);
  });

  it('rotates and revokes a key, and shows the old ones only when asked for all', async () => {
    const { key, secret } = await keys().create({ name: 'deploy', role: 'operator' });
    const rotated = await keys().rotate(key.id);
    expect(rotated.secret).not.toBe(secret);
    expect(rotated.key).toMatchObject({ name: 'deploy', role: 'operator' });
    await keys().revoke(rotated.key.id);
    expect(names()).not.toContain('deploy:active');
    await keys().load(true);
    expect(keys().showAll).toBe(true);
    expect(names().filter((name) => name.startsWith('deploy:'))).toHaveLength(2);
    expect(names()).toContain('deploy:revoked');
    await keys().load(false);
    expect(names().filter((name) => name.startsWith('deploy:'))).toEqual([]);
  });

  it('shows refusals as errors and keeps the list it had', async () => {
    await keys().load();
    const had = keys().keys;
    expect(had.length).toBeGreaterThan(0);
    await expect(keys().revoke('no-such-key')).rejects.toThrow(/no-such-key/);
    await expect(keys().create({ name: 'ci', role: 'admin' })).rejects.toThrow(/ci/);
    expect(keys().keys).toBe(had);
    await shared.page.whileRefused(() => keys().load());
    expect(keys()).toMatchObject({ status: 'error', error: expect.stringMatching(/token/i) as unknown, keys: had });
    await keys().load();
    expect(keys()).toMatchObject({ status: 'ready', error: undefined });
  });

  it('asks the mode once however many ask at a time, switches it, and keeps it when refused', async () => {
    const asked = () => shared.page.line.requests.filter((path) => path === '/api/mode').length;
    const before = asked();
    const first = keys().loadMode();
    expect(keys().loadMode()).toBe(first);
    await first;
    expect(asked()).toBe(before + 1);
    expect(keys().mode).toBe('proxy');
    const switching = keys().setMode('batch');
    expect(keys().modePending).toBe(true);
    await switching;
    expect(keys()).toMatchObject({ mode: 'batch', modePending: false });
    expect((await shared.daemon.other.mode.get()).mode).toBe('batch');
    await shared.page.whileRefused(async () => {
      await expect(keys().setMode('proxy')).rejects.toThrow(/token/i);
      await keys().loadMode();
    });
    expect(keys()).toMatchObject({ mode: 'batch', modePending: false });
  });

  it('keeps its list through a dropped stream; the next load shows a key made meanwhile', async () => {
    await keys().load();
    const had = keys().keys;
    await shared.page.whileDropped(async () => {
      await shared.daemon.other.tokens.create({ name: 'elsewhere', role: 'viewer' });
    });
    expect(keys()).toMatchObject({ status: 'ready', keys: had });
    await keys().load();
    expect(names()).toContain('elsewhere:active');
  });
});
