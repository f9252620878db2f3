import { describe, expect, it } from 'vitest';
import type { OrchEvent } from '../../shared/api/events.js';
import { localPrincipal } from '../core/shell-surface.js';
import { HandlerFailure, MemoryDispatcher } from './__fixtures__/memory-dispatcher.js';
import { trayActions, type TrayActionDeps } from './tray-actions.js';
import { TrayController, type MenuTemplateItem } from './tray-controller.js';
import type { TrayIconKind } from './tray-menu.js';
import { TrayModel } from './tray-state.js';

const principal = localPrincipal('desktop');

const status = (name: string, state: 'running' | 'failed' | 'stopped' | 'needs-sign-in', extra: object = {}) => ({
  name,
  state,
  restarts: 0,
  ...extra,
});

function core() {
  const servers = [status('github', 'running'), status('memory', 'stopped')];
  /** What servers.signIn answers: a browser opened, or none could be. */
  const signIn = { opened: true };
  let mode: 'proxy' | 'batch' = 'proxy';
  const dispatcher = new MemoryDispatcher({
    'servers.list': () => ({ servers }),
    'mode.get': () => ({ mode }),
    'mode.set': (input) => {
      mode = input.mode as typeof mode;
      return { mode };
    },
    'config.get': () => ({ lastReload: { ok: true, time: 1 } }),
    'servers.start': (input) => {
      if (input.name === 'memory')
        throw new HandlerFailure({
          code: 'server_unavailable',
          message: 'server "memory": cannot start "npx": command not found (searched PATH: /usr/bin, /bin)',
        });
      return {};
    },
    'servers.restart': () => ({}),
    'servers.signIn': () => ({
      status: 'redirect',
      authorizationUrl: 'https://auth.example/authorize?client_id=c',
      expiresAt: 2,
      opened: signIn.opened,
    }),
    'clientConfig.get': (input) => ({ client: input.client, format: 'json', text: `{"mcpServers":{"for":"${String(input.client)}"}}` }),
  });
  return { dispatcher, servers, signIn };
}

class FakeTray {
  images: TrayIconKind[] = [];
  tooltip = '';
  menu: MenuTemplateItem[] = [];
  destroyed = false;
  private clickListener: (() => void) | undefined;
  setImage(image: TrayIconKind): void {
    this.images.push(image);
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: MenuTemplateItem[]): void {
    this.menu = menu;
  }
  on(_event: 'click', listener: () => void): void {
    this.clickListener = listener;
  }
  destroy(): void {
    this.destroyed = true;
  }
  /** Clicks the item at `path` of labels. */
  click(...path: string[]): void {
    let items = this.menu;
    let item: MenuTemplateItem | undefined;
    for (const label of path) {
      item = items.find((candidate) => candidate.label === label);
      if (!item) throw new Error(`no "${label}" in ${items.map((candidate) => candidate.label ?? '---').join(' | ')}`);
      items = item.submenu ?? [];
    }
    if (item?.enabled === false) throw new Error(`"${path.join(' ▸ ')}" is disabled`);
    item?.click?.();
  }
  leftClick(): void {
    this.clickListener?.();
  }
}

const defaultPaths = { configPath: '/home/ada/.config/mcp-orch/mcp-config.json', logDir: '/home/ada/.local/state/mcp-orch/missing-logs' };

async function setup(
  options: { dispatcher?: MemoryDispatcher | undefined; paths?: { configPath: string; logDir: string } | undefined } = {},
) {
  const { dispatcher, servers, signIn } = core();
  const used = 'dispatcher' in options ? options.dispatcher : dispatcher;
  const model = new TrayModel({ openAtLogin: false });
  const tray = new FakeTray();
  const errors: { title: string; message: string }[] = [];
  const done: string[] = [];
  const settled: Promise<void>[] = [];
  const deps: TrayActionDeps = {
    dispatcher: () => used,
    principal,
    model,
    writeClipboard: (text) => done.push(`clipboard ${text}`),
    openPath: (path) => Promise.resolve(path.includes('missing') ? 'The file does not exist' : (done.push(`open ${path}`), '')),
    paths: () => ('paths' in options ? options.paths : defaultPaths),
    showDashboard: () => done.push('dashboard'),
    setOpenAtLogin: (enabled) => (done.push(`login ${enabled}`), Promise.resolve()),
    quit: () => done.push('quit'),
    notify: (title) => done.push(`notify ${title}`),
  };
  const perform = trayActions(deps);
  const controller = new TrayController<TrayIconKind, MenuTemplateItem[]>({
    tray,
    buildMenu: (template) => template,
    icon: (kind) => kind,
    model,
    perform: (action) => {
      const run = perform(action);
      settled.push(run.catch(() => undefined));
      return run;
    },
    showError: (title, message) => errors.push({ title, message }),
    onClick: () => done.push('dashboard'),
  });
  const stop = used ? await model.follow(used, principal, (message) => errors.push({ title: 'load', message })) : () => undefined;
  if (used) model.update({ phase: 'running' });
  /** Waits for the actions clicked so far (and the error dialogs they lead to). */
  const idle = async () => {
    await Promise.all(settled);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { dispatcher: used, servers, signIn, model, tray, errors, done, controller, stop, idle };
}

describe('the tray, wired to the operations layer', () => {
  it('shows the servers and the mode the core reports, with a matching icon and tooltip', async () => {
    const { tray } = await setup();
    expect(tray.tooltip).toBe('MCP Orch: 1 running, 1 stopped · proxy mode');
    expect(tray.images.at(-1)).toBe('running');
    expect(tray.menu.find((item) => item.label === 'Proxy mode')?.checked).toBe(true);
  });

  it('follows live events: a server failing turns the icon to failing, once', async () => {
    const { tray, dispatcher } = await setup();
    const failed: OrchEvent = {
      type: 'server.state',
      time: 2,
      status: status('github', 'failed', { lastError: 'exited with code 1' }),
      previous: 'running',
    };
    dispatcher!.emit(failed);
    dispatcher!.emit(failed);
    expect(tray.images).toEqual(['running', 'failing']);
    expect(tray.tooltip).toBe('MCP Orch: 1 failing, 1 stopped · proxy mode');
    dispatcher!.emit({
      type: 'config.reload',
      time: 3,
      ok: false,
      issues: [{ path: 'mcpServers.github.env.K', message: 'secret K is not set: add it' }],
    });
    const github = tray.menu.find((item) => item.label === 'Servers')!.submenu!.find((item) => item.label === 'github — failed')!;
    expect(github.submenu![0]!.label).toBe('mcpServers.github.env.K: secret K is not set: add it');
  });

  it('switches the mode through the operations layer and checks the new one', async () => {
    const { tray, dispatcher, idle } = await setup();
    tray.click('Batch mode');
    await idle();
    expect(dispatcher!.calls.at(-1)).toMatchObject({
      id: 'mode.set',
      input: { mode: 'batch' },
      principal: { role: 'admin', kind: 'local' },
    });
    expect(tray.menu.find((item) => item.label === 'Batch mode')?.checked).toBe(true);
  });

  it('restarts a server, and shows the reason when starting one fails', async () => {
    const { tray, dispatcher, errors, idle } = await setup();
    tray.click('Servers', 'github — running', 'Restart');
    tray.click('Servers', 'memory — stopped', 'Start');
    await idle();
    expect(
      dispatcher!.calls.filter((call) => call.id.startsWith('servers.') && call.id !== 'servers.list').map((call) => [call.id, call.input]),
    ).toEqual([
      ['servers.restart', { name: 'github' }],
      ['servers.start', { name: 'memory' }],
    ]);
    expect(errors).toEqual([
      {
        title: 'Could not start memory',
        message: 'server "memory": cannot start "npx": command not found (searched PATH: /usr/bin, /bin)',
      },
    ]);
  });

  it('signs in to a server that asks for it (the core opens the browser); copies the link when no browser opened', async () => {
    const { tray, dispatcher, done, errors, signIn, idle } = await setup();
    dispatcher!.emit({
      type: 'server.state',
      time: 2,
      status: status('docs', 'needs-sign-in', { lastError: 'the server asks you to sign in', signIn: { signedIn: false, pending: false } }),
      previous: 'starting',
    });
    tray.click('Servers', 'docs — needs sign-in', 'Sign in to docs');
    await idle();
    expect(dispatcher!.calls.at(-1)).toMatchObject({ id: 'servers.signIn', input: { name: 'docs', openBrowser: true } });
    expect(done).toEqual([]);
    signIn.opened = false;
    tray.click('Servers', 'docs — needs sign-in', 'Sign in to docs');
    await idle();
    expect(done).toEqual(['clipboard https://auth.example/authorize?client_id=c', 'notify Sign in to docs']);
    expect(errors).toEqual([]);
    // Signed in: the state event takes the item away.
    dispatcher!.emit({
      type: 'server.state',
      time: 3,
      status: status('docs', 'running', { signIn: { signedIn: true, pending: false } }),
      previous: 'needs-sign-in',
    });
    expect(() => tray.click('Servers', 'docs — running', 'Sign in to docs')).toThrow(/no "Sign in to docs"/);
  });

  it("copies a client's configuration to the clipboard and says so", async () => {
    const { tray, done, idle } = await setup();
    tray.click('Copy client configuration', 'Cursor');
    await idle();
    expect(done).toEqual(['clipboard {"mcpServers":{"for":"cursor"}}', 'notify Client configuration copied']);
  });

  it('opens the dashboard, the config file, and reports a logs folder that cannot be opened', async () => {
    const { tray, done, errors, idle } = await setup();
    tray.click('Open dashboard');
    tray.click('Open config file');
    tray.click('Open logs folder');
    tray.leftClick();
    await idle();
    expect(done).toEqual(['dashboard', 'open /home/ada/.config/mcp-orch/mcp-config.json', 'dashboard']);
    expect(errors).toEqual([
      { title: 'Could not open the logs folder', message: '/home/ada/.local/state/mcp-orch/missing-logs: The file does not exist' },
    ]);
  });

  it("opens the files of the core's environment, and says so while that is not known yet", async () => {
    const shellPaths = { configPath: '/profile-home/mcp-config.json', logDir: '/profile-home/logs' };
    const known = await setup({ paths: shellPaths });
    known.tray.click('Open config file');
    known.tray.click('Open logs folder');
    await known.idle();
    expect(known.done).toEqual(['open /profile-home/mcp-config.json', 'open /profile-home/logs']);
    const starting = await setup({ paths: undefined });
    starting.tray.click('Open config file');
    await starting.idle();
    expect(starting.errors).toEqual([
      { title: 'Could not open the config file', message: 'MCP Orch is still starting: try again in a moment' },
    ]);
  });

  it('turns start at login on and shows it checked; quits', async () => {
    const { tray, done, idle } = await setup();
    tray.click('Start at login');
    await idle();
    expect(tray.menu.find((item) => item.label === 'Start at login')?.checked).toBe(true);
    tray.click('Quit MCP Orch');
    expect(done).toEqual(['login true', 'quit']);
  });

  it('says the core is not running when an action needs it and there is none', async () => {
    const { controller, errors } = await setup({ dispatcher: undefined });
    await controller.run({ kind: 'server', verb: 'restart', server: 'github' });
    expect(errors).toEqual([{ title: 'Could not restart github', message: 'MCP Orch is not running: see the tray menu for why' }]);
  });

  it('stops following and removes the icon when disposed', async () => {
    const { tray, controller, stop, dispatcher } = await setup();
    stop();
    controller.dispose();
    expect(tray.destroyed).toBe(true);
    expect(dispatcher!.subscriberCount).toBe(0);
  });
});
