import { describe, expect, it } from 'vitest';
import { CLIENT_KINDS } from '../../shared/client-config.js';
import { trayIconKind, trayMenu, trayTooltip, type MenuItemModel, type TrayState } from './tray-menu.js';

const running = (name: string, extra: Partial<TrayState['servers'][number]> = {}) => ({
  name,
  state: 'running' as const,
  restarts: 0,
  ...extra,
});

const base: TrayState = {
  phase: 'running',
  mode: 'proxy',
  servers: [running('github'), running('memory')],
  configIssues: [],
  openAtLogin: false,
};

const labels = (items: MenuItemModel[]) => items.map((item) => (item.type === 'separator' ? '---' : item.label));
const find = (items: MenuItemModel[], label: string) => {
  const item = items.find((candidate) => candidate.label === label);
  if (!item) throw new Error(`no item "${label}" in ${labels(items).join(' | ')}`);
  return item;
};
const serverMenu = (state: TrayState, name: string) =>
  find(trayMenu(state), 'Servers').submenu!.find((item) => item.label.startsWith(`${name} —`))!.submenu!;
const enabledVerbs = (items: MenuItemModel[]) =>
  items.filter((item) => item.action?.kind === 'server' && item.enabled !== false).map((item) => item.label);

describe('the tray menu', () => {
  it('has every item, in order, when all servers run', () => {
    expect(labels(trayMenu(base))).toEqual([
      'MCP Orch: 2 running · proxy mode',
      '---',
      'Proxy mode',
      'Batch mode',
      '---',
      'Servers',
      'Copy client configuration',
      '---',
      'Open dashboard',
      'Open config file',
      'Open logs folder',
      '---',
      'Start at login',
      '---',
      'Quit MCP Orch',
    ]);
    expect(trayIconKind(base)).toBe('running');
  });

  it('shows the mode as a radio pair that sets the other mode', () => {
    const menu = trayMenu({ ...base, mode: 'batch' });
    expect(find(menu, 'Proxy mode')).toMatchObject({ type: 'radio', checked: false, action: { kind: 'setMode', mode: 'proxy' } });
    expect(find(menu, 'Batch mode')).toMatchObject({ type: 'radio', checked: true, action: { kind: 'setMode', mode: 'batch' } });
  });

  it("offers one copy item per client, each copying that client's configuration", () => {
    const copy = find(trayMenu(base), 'Copy client configuration');
    expect(copy.submenu!.map((item) => item.action)).toEqual(CLIENT_KINDS.map((client) => ({ kind: 'copyClientConfig', client })));
    expect(labels(copy.submenu!)).toEqual(['Cline', 'Cursor', 'VS Code', 'Claude Code', 'Windsurf', 'Claude Desktop']);
  });

  it('lists each server with its state, its health in words and the verbs that apply', () => {
    const state: TrayState = {
      ...base,
      servers: [
        running('github'),
        { name: 'memory', state: 'stopped', restarts: 0 },
        { name: 'flaky', state: 'backoff', restarts: 2, lastError: 'exited with code 1', retryInMs: 4000 },
        {
          name: 'broken',
          state: 'failed',
          restarts: 5,
          lastError: 'server "broken": cannot start "uvx": command not found (searched PATH: /usr/bin, /bin)',
        },
        { name: 'off', state: 'disabled', restarts: 0 },
        { name: 'booting', state: 'starting', restarts: 0 },
      ],
    };
    const servers = find(trayMenu(state), 'Servers').submenu!;
    expect(labels(servers)).toEqual([
      'github — running',
      'memory — stopped',
      'flaky — backoff',
      'broken — failed',
      'off — disabled',
      'booting — starting',
    ]);
    expect(labels(serverMenu(state, 'github'))).toEqual(['running', '---', 'Start', 'Stop', 'Restart']);
    expect(enabledVerbs(serverMenu(state, 'github'))).toEqual(['Stop', 'Restart']);
    expect(enabledVerbs(serverMenu(state, 'memory'))).toEqual(['Start']);
    expect(enabledVerbs(serverMenu(state, 'flaky'))).toEqual(['Stop', 'Restart']);
    expect(serverMenu(state, 'flaky')[0]!.label).toBe('exited with code 1; retrying in 4 s');
    expect(enabledVerbs(serverMenu(state, 'broken'))).toEqual(['Start', 'Restart']);
    expect(serverMenu(state, 'broken')[0]!.label).toBe(
      'server "broken": cannot start "uvx": command not found (searched PATH: /usr/bin, /bin)',
    );
    expect(enabledVerbs(serverMenu(state, 'off'))).toEqual([]);
    expect(enabledVerbs(serverMenu(state, 'booting'))).toEqual(['Stop', 'Restart']);
    expect(serverMenu(state, 'memory').find((item) => item.label === 'Start')!.action).toEqual({
      kind: 'server',
      verb: 'start',
      server: 'memory',
    });
    expect(trayIconKind(state)).toBe('failing');
    expect(trayTooltip(state)).toBe('MCP Orch: 1 running, 1 starting, 2 failing, 2 stopped · proxy mode');
  });

  it('offers "Sign in to <name>" for a server that needs a sign-in, or a step-up, and not otherwise', () => {
    const state: TrayState = {
      ...base,
      servers: [
        { name: 'docs', state: 'needs-sign-in', restarts: 0, lastError: 'the server asks you to sign in' },
        running('tracker', { signIn: { problem: 'the tool "write" needs more access (mcp:write): sign in again', pending: false } }),
        running('github', { signIn: { pending: false } }),
      ],
    };
    expect(find(trayMenu(state), 'Servers').submenu!.map((item) => item.label)).toEqual([
      'docs — needs sign-in',
      'tracker — running',
      'github — running',
    ]);
    expect(labels(serverMenu(state, 'docs'))).toEqual([
      'the server asks you to sign in',
      'Sign in to docs',
      '---',
      'Start',
      'Stop',
      'Restart',
    ]);
    expect(find(serverMenu(state, 'docs'), 'Sign in to docs').action).toEqual({ kind: 'signIn', server: 'docs' });
    expect(find(serverMenu(state, 'tracker'), 'Sign in to tracker').action).toEqual({ kind: 'signIn', server: 'tracker' });
    expect(labels(serverMenu(state, 'github'))).toEqual(['running', '---', 'Start', 'Stop', 'Restart']);
    expect(trayIconKind(state)).toBe('failing');
  });

  it('says when there are no servers, and does not offer to copy a configuration of nothing', () => {
    const state = { ...base, servers: [] };
    expect(labels(find(trayMenu(state), 'Servers').submenu!)).toEqual(['No servers configured']);
    expect(find(trayMenu(state), 'Copy client configuration').enabled).toBe(false);
    expect(trayIconKind(state)).toBe('stopped');
    expect(trayTooltip(state)).toBe('MCP Orch: no servers · proxy mode');
  });

  it('shows a stopped icon when every server is stopped or disabled', () => {
    const state: TrayState = {
      ...base,
      servers: [
        { name: 'a', state: 'stopped', restarts: 0 },
        { name: 'b', state: 'disabled', restarts: 0 },
      ],
    };
    expect(trayIconKind(state)).toBe('stopped');
  });

  it("turns a config problem naming a server into that server's reason, and a failing icon", () => {
    const state: TrayState = {
      ...base,
      configIssues: [{ path: 'mcpServers.github.env.TOKEN', message: 'secret GITHUB_TOKEN is not set: set it in Settings ▸ Secrets' }],
    };
    const reason = serverMenu(state, 'github')[0]!.label;
    expect(reason).toMatch(
      /^a change to the config was not applied: mcpServers\.github\.env\.TOKEN: secret GITHUB_TOKEN is not set: set it in Settings…$/,
    );
    expect(reason).toHaveLength(120);
    expect(trayIconKind(state)).toBe('failing');
  });

  it('shows start at login as a checkbox that flips it', () => {
    expect(find(trayMenu(base), 'Start at login')).toMatchObject({
      type: 'checkbox',
      checked: false,
      action: { kind: 'setOpenAtLogin', enabled: true },
    });
    expect(find(trayMenu({ ...base, openAtLogin: true }), 'Start at login')).toMatchObject({
      checked: true,
      action: { kind: 'setOpenAtLogin', enabled: false },
    });
  });

  it('while the core starts: mode and servers wait, the window and files can be opened', () => {
    const state: TrayState = { ...base, phase: 'starting', mode: undefined, servers: [] };
    const menu = trayMenu(state);
    expect(menu[0]!.label).toBe('MCP Orch: starting…');
    expect(find(menu, 'Proxy mode')).toMatchObject({ enabled: false, checked: false });
    expect(find(menu, 'Servers').enabled).toBe(false);
    expect(find(menu, 'Open dashboard').enabled).toBeUndefined();
    expect(trayIconKind(state)).toBe('running');
  });

  it('while quitting: one line saying how many servers are being stopped, nothing to click', () => {
    const state: TrayState = {
      ...base,
      phase: 'stopping',
      servers: [running('a'), running('b'), { name: 'c', state: 'stopped', restarts: 0 }],
    };
    expect(trayMenu(state)).toEqual([{ label: 'Stopping 2 servers…', enabled: false }]);
    expect(trayTooltip(state)).toBe('MCP Orch: stopping servers…');
    expect(trayIconKind(state)).toBe('stopped');
  });

  it('when the core could not start: the reason, the config and logs to fix it, and quit', () => {
    const state: TrayState = {
      ...base,
      phase: 'failed',
      coreError: 'port 8000 on 127.0.0.1 is already in use: stop the other process or pass --port',
      servers: [],
    };
    expect(labels(trayMenu(state))).toEqual([
      'Could not start: port 8000 on 127.0.0.1 is already in use: stop the other process or pass --port',
      '---',
      'Open config file',
      'Open logs folder',
      '---',
      'Quit MCP Orch',
    ]);
    expect(trayIconKind(state)).toBe('failing');
    expect(trayTooltip(state)).toBe('MCP Orch: could not start');
  });

  it('shortens a long or multi-line reason to one line', () => {
    const state = {
      ...base,
      servers: [{ name: 'x', state: 'failed' as const, restarts: 1, lastError: `${'y'.repeat(200)}\nsecond line` }],
    };
    expect(serverMenu(state, 'x')[0]!.label).toBe(`${'y'.repeat(119)}…`);
  });

  it('keeps a literal & in a server name from becoming a keyboard shortcut', () => {
    const state = { ...base, servers: [running('R&D')] };
    expect(find(trayMenu(state), 'Servers').submenu![0]!.label).toBe('R&&D — running');
  });
});
