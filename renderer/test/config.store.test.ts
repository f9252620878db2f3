/**
 * The config store against a real daemon: the file it loads as the draft, a draft's problems at
 * their JSON paths, applying a good draft, refusals (a refused load, an invalid file, a file changed
 * since the draft began) shown without losing the draft, a change made elsewhere followed live
 * (an untouched draft follows it, an edited one is told), and a stream that drops and comes back.
 */
import { describe, expect, it } from 'vitest';
import { openPage, settle, sharedPage } from './daemon';

const shared = sharedPage();

const config = () => shared.page.stores.config.getState();

/** The saved file with the example server's `timeout` set to `seconds`. */
function withTimeout(text: string, seconds: number): string {
  const file = JSON.parse(text) as { mcpServers: { example: Record<string, unknown> } };
  file.mcpServers.example.timeout = seconds;
  return JSON.stringify(file, null, 2);
}

/** Writes the file through another client, as another page or the CLI would. */
async function putElsewhere(seconds: number): Promise<void> {
  const { text, revision } = await shared.daemon.other.config.get();
  const { reload } = await shared.daemon.other.config.put({ text: withTimeout(text, seconds), revision });
  expect(reload.ok).toBe(true);
}

describe('the config store', () => {
  it('starts idle, is loading while asked, then holds the saved file as the draft', async () => {
    const fresh = await openPage(shared.daemon, { live: false });
    const store = fresh.stores.config;
    expect(store.getState()).toMatchObject({ status: 'idle', draft: '', issues: [], busy: false, changedOnDisk: false });
    const loading = store.getState().load();
    expect(store.getState().status).toBe('loading');
    await loading;
    const { saved, draft } = store.getState();
    expect(store.getState().status).toBe('ready');
    expect(saved).toMatchObject({ path: shared.daemon.configPath, issues: [] });
    expect(saved!.revision).toEqual(expect.any(String));
    expect(draft).toBe(saved!.text);
    expect(JSON.parse(draft)).toMatchObject({ mcpServers: { example: {} } });
  });

  it('finds the problems of a draft at their JSON paths, and applies a good one', async () => {
    await config().load();
    const saved = config().saved!;
    config().setDraft(saved.text.replace('"command"', '"commandz"'));
    expect(config().validated).toBe(false);
    expect(await config().validate()).toBe(false);
    expect(config().issues.map((issue) => issue.path)).toContain('mcpServers.example.command');
    config().setDraft(withTimeout(saved.text, 42));
    expect(await config().validate()).toBe(true);
    expect(config()).toMatchObject({ validated: true, issues: [], busy: false });
    const outcome = await config().apply();
    expect(outcome).toMatchObject({ ok: true, issues: [], message: expect.stringMatching(/^Saved and applied/) as unknown });
    expect(outcome.message).toMatch(/example/);
    expect(shared.daemon.runtime.config.servers[0]?.timeoutMs).toBe(42_000);
    expect(config().saved?.text).toContain('"timeout": 42');
    expect(config().saved?.revision).not.toBe(saved.revision);
    expect(config().draft).toBe(config().saved?.text);
  });

  it('shows a refused load as an error and keeps the file and the draft it had', async () => {
    await config().load();
    const saved = config().saved;
    config().setDraft(withTimeout(saved!.text, 7));
    const draft = config().draft;
    await shared.page.whileRefused(async () => {
      await config().load();
      expect(await config().validate()).toBe(false);
    });
    expect(config()).toMatchObject({ status: 'error', error: expect.stringMatching(/token/i) as unknown, saved, draft, busy: false });
    expect(config().issues).toEqual([{ path: '(file)', message: config().error }]);
  });

  it('refuses to apply an invalid file, naming its problems, and keeps the draft', async () => {
    await config().load();
    const draft = config().saved!.text.replace('"command"', '"commandz"');
    config().setDraft(draft);
    const outcome = await config().apply();
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toMatch(/invalid configuration/);
    expect(outcome.issues.map((issue) => issue.path)).toContain('mcpServers.example.command');
    expect(config()).toMatchObject({ draft, issues: outcome.issues, validated: false, busy: false });
    expect(shared.daemon.runtime.config.servers[0]?.command).toBe(process.execPath);
  });

  it('refuses to apply over a file changed since the draft began, and keeps the draft', async () => {
    await config().load();
    const stale = config().saved!;
    const edited = withTimeout(stale.text, 9);
    config().setDraft(edited);
    await putElsewhere(11);
    const outcome = await config().apply();
    expect(outcome).toMatchObject({ ok: false, message: expect.stringMatching(/changed since revision/) as unknown });
    expect(config().draft).toBe(edited);
    expect(shared.daemon.runtime.config.servers[0]?.timeoutMs).toBe(11_000);
  });

  it('follows a change made elsewhere when its draft is untouched, and says so when it is edited', async () => {
    await config().load();
    await putElsewhere(21);
    await settle(() => expect(config().saved?.text).toContain('"timeout": 21'));
    expect(config()).toMatchObject({ draft: config().saved!.text, changedOnDisk: false });

    const edited = withTimeout(config().saved!.text, 5);
    config().setDraft(edited);
    await putElsewhere(22);
    await settle(() => expect(config().changedOnDisk).toBe(true));
    expect(config().draft).toBe(edited);
    expect(config().saved?.text).toContain('"timeout": 21');
    await config().load();
    expect(config()).toMatchObject({ changedOnDisk: false, draft: config().saved!.text });
  });

  it('keeps an edited draft through a dropped stream; the next load shows the change it missed', async () => {
    // After a drop the page reloads what the stream keeps current (stores.ts `resync`); the config is
    // not among them, so an edited draft is never replaced by a reload it did not ask for.
    await config().load();
    const edited = withTimeout(config().saved!.text, 3);
    config().setDraft(edited);
    const listed = () => shared.page.line.requests.filter((path) => path === '/api/servers').length;
    const before = listed();
    await shared.page.whileDropped(() => putElsewhere(31));
    await settle(() => expect(listed()).toBeGreaterThan(before));
    expect(config()).toMatchObject({ status: 'ready', draft: edited });
    await config().load();
    expect(config().saved?.text).toContain('"timeout": 31');
    expect(config().draft).toBe(config().saved?.text);
  });
});
