/**
 * The page's stores together, against a real daemon: what the first screen asks for before React
 * renders, and what the page asks again when the event stream comes back after a drop (only what it
 * had loaded). Each store's own behaviour is in its `<name>.store.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prefetchFirstScreen } from '../src/stores/stores';
import { openPage, settle, startDaemon, type Daemon, type Page } from './daemon';

let daemon: Daemon;

beforeAll(async () => {
  daemon = await startDaemon();
});

afterAll(async () => {
  await daemon?.dispose();
});

/** The API paths a page asked, without their query. */
const asked = (page: Page) => page.line.requests.map((path) => path.split('?')[0]);

describe('the first screen', () => {
  it('asks for the servers, the figures and the mode on the overview, and only the servers elsewhere', async () => {
    const overview = await openPage(daemon, { live: false });
    prefetchFirstScreen(overview.stores, '/');
    await settle(() => expect(overview.stores.stats.getState().status).toBe('ready'));
    await settle(() => expect(overview.stores.keys.getState().mode).toBe('proxy'));
    await settle(() => expect(overview.stores.servers.getState().status).toBe('ready'));
    expect(new Set(asked(overview))).toEqual(new Set(['/api/servers', '/api/metrics/processes', '/api/metrics/series', '/api/mode']));

    const tools = await openPage(daemon, { live: false });
    prefetchFirstScreen(tools.stores, '/tools');
    await settle(() => expect(tools.stores.servers.getState().status).toBe('ready'));
    expect(new Set(asked(tools))).toEqual(new Set(['/api/servers', '/api/metrics/processes']));
    expect(tools.stores.stats.getState().status).toBe('idle');
  });
});

describe('the page after a dropped stream', () => {
  it('asks again for what it had loaded, and nothing it had not', async () => {
    const page = await openPage(daemon);
    try {
      await page.stores.servers.getState().load();
      let before = page.line.requests.length;
      await page.whileDropped(() => undefined);
      await settle(() => expect(asked(page).slice(before)).toContain('/api/servers'));
      expect(asked(page).slice(before)).not.toContain('/api/tools');
      expect(asked(page).slice(before)).not.toContain('/api/metrics/series');
      expect(asked(page).slice(before)).not.toContain('/api/runs');

      await page.stores.tools.getState().load();
      await page.stores.stats.getState().load();
      await page.stores.runs.getState().loadHistory();
      before = page.line.requests.length;
      await page.whileDropped(() => undefined);
      await settle(() =>
        expect(asked(page).slice(before)).toEqual(
          expect.arrayContaining(['/api/servers', '/api/tools', '/api/metrics/series', '/api/runs']),
        ),
      );
    } finally {
      page.close();
    }
  });
});
