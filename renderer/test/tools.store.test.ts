/**
 * The tools store against a real daemon: the catalog it loads (sorted, filterable), refusals shown
 * without losing the catalog, switches and "try it" calls, a switch made elsewhere followed live,
 * and the catalog read again after the event stream dropped and came back.
 */
import { describe, expect, it } from 'vitest';
import { filterTools, MAX_RECENT } from '../src/stores/tools.store';
import { openPage, settle, sharedPage } from './daemon';

const shared = sharedPage();

const tools = () => shared.page.stores.tools.getState();
const enabledOf = (name: string) => tools().tools.find((tool) => tool.name === name)?.enabled;

describe('the tools store', () => {
  it('starts idle, is loading while asked, then holds the catalog sorted by server and name', async () => {
    const fresh = await openPage(shared.daemon, { live: false });
    const store = fresh.stores.tools;
    expect(store.getState()).toMatchObject({ status: 'idle', tools: [], haystack: [] });
    const loading = store.getState().load();
    expect(store.getState().status).toBe('loading');
    await loading;
    expect(store.getState().status).toBe('ready');
    expect(store.getState().tools.map((tool) => tool.name)).toEqual(['add', 'echo', 'now']);
    expect(store.getState().haystack).toHaveLength(3);
    expect(filterTools(store.getState(), 'two numbers').map((tool) => tool.name)).toEqual(['add']);
    expect(filterTools(store.getState(), 'EXAMPLE add')).toHaveLength(1);
    expect(filterTools(store.getState(), '', 'example')).toHaveLength(3);
    expect(filterTools(store.getState(), '', 'elsewhere')).toEqual([]);
  });

  it('shows a refused load as an error and keeps the catalog it had', async () => {
    await tools().load();
    const had = tools().tools;
    await shared.page.whileRefused(() => tools().load());
    expect(tools()).toMatchObject({ status: 'error', error: expect.stringMatching(/token/i) as unknown });
    expect(tools().tools).toBe(had);
    await tools().load();
    expect(tools()).toMatchObject({ status: 'ready', error: undefined });
  });

  it('switches a tool off and on, marking it pending meanwhile; a refused one changes nothing', async () => {
    await tools().load();
    const off = tools().setEnabled('example', 'now', false);
    expect(tools().pending['example\u0000now']).toBe(true);
    await off;
    expect(tools().pending['example\u0000now']).toBeUndefined();
    expect(enabledOf('now')).toBe(false);
    await tools().setEnabled('example', 'now', true);
    expect(enabledOf('now')).toBe(true);
    await expect(tools().setEnabled('nowhere', 'now', false)).rejects.toThrow(/nowhere/);
    expect(tools().tools.map((tool) => tool.enabled)).toEqual([true, true, true]);
  });

  it('keeps the recent calls newest first, a failed one with its message', async () => {
    const call = await tools().call('example', 'add', { a: 2, b: 3 });
    expect(call.result?.result.structuredContent).toEqual({ sum: 5 });
    expect(tools().recent[0]).toBe(call);
    const failed = await tools().call('nowhere', 'add', {});
    expect(failed.error).toMatch(/nowhere/);
    expect(tools().recent.slice(0, 2)).toEqual([failed, call]);
    for (let index = 0; index < MAX_RECENT; index++) await tools().call('example', 'echo', { text: String(index) });
    expect(tools().recent).toHaveLength(MAX_RECENT);
    expect(tools().recent.at(-1)?.arguments).toEqual({ text: '0' });
  });

  it('follows a switch made elsewhere live', async () => {
    await tools().load();
    await shared.daemon.other.tools.disable({ server: 'example', tool: 'echo' });
    await settle(() => expect(enabledOf('echo')).toBe(false));
    await shared.daemon.other.tools.enable({ server: 'example', tool: 'echo' });
    await settle(() => expect(enabledOf('echo')).toBe(true));
  });

  it('reads the catalog again when the stream comes back after a drop, so a switch it missed shows', async () => {
    await tools().load();
    await shared.page.whileDropped(async () => {
      await shared.daemon.other.tools.disable({ server: 'example', tool: 'add' });
      expect(enabledOf('add')).toBe(true);
    });
    await settle(() => expect(enabledOf('add')).toBe(false));
    await shared.daemon.other.tools.enable({ server: 'example', tool: 'add' });
    await settle(() => expect(enabledOf('add')).toBe(true));
  });
});
