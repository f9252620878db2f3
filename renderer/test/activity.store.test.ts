/**
 * The activity store against a real daemon: the call log and the audit log it loads, filtered and
 * paged (older, then newer again), a refused load shown without losing the page, calls arriving
 * live counted as new until the newest page is read again, and a stream that drops and comes back.
 */
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../src/stores/activity.store';
import { openPage, settle, sharedPage } from './daemon';

const shared = sharedPage({
  async opened(daemon) {
    // More calls than one page holds: a page older than the newest one exists.
    for (let index = 0; index < PAGE_SIZE; index++) await daemon.other.tools.call({ server: 'example', tool: 'now', arguments: {} });
    await callRecorded({ server: 'example', tool: 'add', arguments: { a: 1, b: 1 } });
  },
});

const activity = () => shared.page.stores.activity.getState();

/** Makes one call through another client and waits until the daemon has recorded it. */
async function callRecorded(input: { server: string; tool: string; arguments: Record<string, unknown> }): Promise<void> {
  const before = (await shared.daemon.other.calls.list({ limit: 1 })).items[0]?.id ?? 0;
  await shared.daemon.other.tools.call(input).catch(() => undefined);
  await settle(async () => expect((await shared.daemon.other.calls.list({ limit: 1 })).items[0]?.id).toBeGreaterThan(before));
}

describe('the activity store', () => {
  it('starts idle, is loading while asked, then holds the newest page of calls', async () => {
    const fresh = await openPage(shared.daemon, { live: false });
    const store = fresh.stores.activity;
    expect(store.getState()).toMatchObject({ calls: { status: 'idle', items: [] }, audit: { status: 'idle', items: [] }, newCalls: 0 });
    const loading = store.getState().loadCalls();
    expect(store.getState().calls.status).toBe('loading');
    await loading;
    const { calls } = store.getState();
    expect(calls).toMatchObject({ status: 'ready', previous: [], cursor: undefined });
    expect(calls.items).toHaveLength(PAGE_SIZE);
    expect(calls.items[0]).toMatchObject({ server: 'example', tool: 'add', ok: true });
    expect(calls.nextCursor).toEqual(expect.any(String));
  });

  it('pages to older calls and back to the newest', async () => {
    await activity().loadCalls({});
    const newest = activity().calls.items;
    await activity().loadCalls(undefined, 'older');
    expect(activity().calls.previous).toEqual([undefined]);
    expect(activity().calls.items.length).toBeGreaterThan(0);
    expect(activity().calls.items[0]!.id).toBeLessThan(newest.at(-1)!.id);
    await activity().loadCalls(undefined, 'newer');
    expect(activity().calls).toMatchObject({ previous: [], cursor: undefined });
    expect(activity().calls.items.map((call) => call.id)).toEqual(newest.map((call) => call.id));
  });

  it('filters the calls by server, tool, outcome and time', async () => {
    await callRecorded({ server: 'example', tool: 'echo', arguments: {} });
    await activity().loadCalls({ tool: 'add' });
    expect(activity().calls.items.map((call) => call.tool)).toEqual(['add']);
    expect(activity().calls.filters).toEqual({ tool: 'add' });
    await activity().loadCalls({ ok: false });
    expect(activity().calls.items.map((call) => [call.tool, call.ok])).toEqual([['echo', false]]);
    await activity().loadCalls({ server: 'nowhere' });
    expect(activity().calls.items).toEqual([]);
    await activity().loadCalls({ withinMs: 60 * 60_000, tool: 'echo' });
    expect(activity().calls.items).toHaveLength(1);
  });

  it('loads the audit log, filtered by action and outcome', async () => {
    await shared.daemon.other.tools.disable({ server: 'example', tool: 'now' });
    await shared.daemon.other.tools.enable({ server: 'example', tool: 'now' });
    await settle(async () => {
      await activity().loadAudit({ action: 'tools.*' });
      expect(
        activity()
          .audit.items.slice(0, 2)
          .map((entry) => entry.action),
      ).toEqual(['tools.enable', 'tools.disable']);
    });
    expect(activity().audit.items[0]).toMatchObject({ outcome: 'ok', target: 'example__now' });
    await activity().loadAudit({ action: 'tools.disable' });
    expect(activity().audit.items.map((entry) => entry.action)).toEqual(['tools.disable']);
    await activity().loadAudit({ action: 'tools.*', outcome: 'denied' });
    expect(activity().audit).toMatchObject({ status: 'ready', items: [] });
  });

  it('shows a refused load as an error and keeps the page it had', async () => {
    await activity().loadCalls({});
    await activity().loadAudit({});
    const { calls, audit } = activity();
    await shared.page.whileRefused(async () => {
      await activity().loadCalls();
      await activity().loadAudit();
    });
    expect(activity().calls).toMatchObject({ status: 'error', error: expect.stringMatching(/token/i) as unknown, items: calls.items });
    expect(activity().audit).toMatchObject({ status: 'error', error: expect.stringMatching(/token/i) as unknown, items: audit.items });
    await activity().loadCalls();
    expect(activity().calls.status).toBe('ready');
  });

  it('counts calls arriving live as new, until the newest page is read again', async () => {
    await activity().loadCalls({});
    expect(activity().newCalls).toBe(0);
    await callRecorded({ server: 'example', tool: 'now', arguments: {} });
    await callRecorded({ server: 'example', tool: 'now', arguments: {} });
    await settle(() => expect(activity().newCalls).toBe(2));
    await activity().loadCalls(undefined, 'older');
    expect(activity().newCalls).toBe(2);
    await activity().loadCalls(undefined, 'first');
    expect(activity().newCalls).toBe(0);
  });

  it('keeps its page through a dropped stream; the next load shows the calls it missed', async () => {
    // The stream's resync (stores.ts) does not reload the logs: the activity page loads them when opened.
    await activity().loadCalls({});
    const newest = activity().calls.items[0]!.id;
    await shared.page.whileDropped(() => callRecorded({ server: 'example', tool: 'now', arguments: {} }));
    expect(activity().calls).toMatchObject({ status: 'ready' });
    expect(activity().calls.items[0]!.id).toBe(newest);
    await activity().loadCalls();
    expect(activity().calls.items[0]!.id).toBeGreaterThan(newest);
  });
});
