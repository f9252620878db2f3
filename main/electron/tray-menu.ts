/**
 * The tray's icon, tooltip and menu as a pure function of state, so every state can be tested
 * without Electron. The controller turns the model into a real `Menu` and runs the actions.
 */
import type { MODES } from '../../shared/api/operations/config.js';
import { CLIENT_KINDS, CLIENT_LABELS, type ClientKind } from '../../shared/client-config.js';
import { overallLevel, serverHealth, type HealthInput, type HealthLevel } from '../../shared/health.js';

/** `proxy` or `batch`. */
export type Mode = (typeof MODES)[number];

/** What a menu item does when clicked; data, so the menu stays a pure function. */
export type TrayAction =
  | { kind: 'setMode'; mode: Mode }
  | { kind: 'server'; verb: 'start' | 'stop' | 'restart'; server: string }
  | { kind: 'signIn'; server: string }
  | { kind: 'copyClientConfig'; client: ClientKind }
  | { kind: 'openDashboard' }
  | { kind: 'openConfig' }
  | { kind: 'openLogs' }
  | { kind: 'setOpenAtLogin'; enabled: boolean }
  | { kind: 'quit' };

export interface MenuItemModel {
  label: string;
  type?: 'normal' | 'separator' | 'radio' | 'checkbox' | 'submenu';
  checked?: boolean;
  /** Default true. */
  enabled?: boolean;
  submenu?: MenuItemModel[];
  action?: TrayAction;
}

/** Where the core is: starting, serving, stopping on quit, or failed to start. */
export type CorePhase = 'starting' | 'running' | 'stopping' | 'failed';

export interface TrayState {
  phase: CorePhase;
  /** Why the core did not start (phase `failed`). */
  coreError?: string;
  /** Undefined until known. */
  mode: Mode | undefined;
  servers: readonly Omit<HealthInput, 'configIssues'>[];
  /** Problems of the config file on disk that the last reload reported. */
  configIssues: readonly { path: string; message: string }[];
  openAtLogin: boolean;
}

/** The three tray icons: every server up, something wrong, nothing running. */
export type TrayIconKind = 'running' | 'failing' | 'stopped';

const MAX_REASON = 120;

function levelsOf(state: TrayState): HealthLevel[] {
  return state.servers.map((server) => serverHealth({ ...server, configIssues: state.configIssues }).level);
}

/** The icon: failing when anything is wrong (or the core failed), stopped when nothing runs. */
export function trayIconKind(state: TrayState): TrayIconKind {
  if (state.phase === 'failed') return 'failing';
  if (state.phase === 'stopping') return 'stopped';
  const level = overallLevel(levelsOf(state));
  if (level === 'error' || level === 'warn') return 'failing';
  if (level === 'off') return state.phase === 'starting' ? 'running' : 'stopped';
  return 'running';
}

/** The tooltip: the app, then servers counted by health, then the mode. */
export function trayTooltip(state: TrayState): string {
  if (state.phase === 'failed') return 'MCP Orch: could not start';
  if (state.phase === 'stopping') return 'MCP Orch: stopping servers…';
  if (state.phase === 'starting' && state.servers.length === 0) return 'MCP Orch: starting…';
  const levels = levelsOf(state);
  const count = (...wanted: HealthLevel[]) => levels.filter((level) => wanted.includes(level)).length;
  const parts = [
    [count('ok'), 'running'],
    [count('busy'), 'starting'],
    [count('warn', 'error'), 'failing'],
    [count('off'), 'stopped'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, label]) => `${n} ${label}`);
  const servers = state.servers.length === 0 ? 'no servers' : parts.join(', ');
  return `MCP Orch: ${servers}${state.mode ? ` · ${state.mode} mode` : ''}`;
}

export function trayMenu(state: TrayState): MenuItemModel[] {
  const separator: MenuItemModel = { label: '', type: 'separator' };
  const quit: MenuItemModel = { label: 'Quit MCP Orch', action: { kind: 'quit' } };
  const files: MenuItemModel[] = [
    { label: 'Open config file', action: { kind: 'openConfig' } },
    { label: 'Open logs folder', action: { kind: 'openLogs' } },
  ];
  if (state.phase === 'stopping') {
    const running = state.servers.filter(
      (server) => server.state !== 'stopped' && server.state !== 'disabled' && server.state !== 'failed',
    ).length;
    return [{ label: running > 0 ? `Stopping ${running} server${running === 1 ? '' : 's'}…` : 'Stopping…', enabled: false }];
  }
  if (state.phase === 'failed') {
    return [
      { label: `Could not start: ${shorten(state.coreError ?? 'unknown error')}`, enabled: false },
      separator,
      ...files,
      separator,
      quit,
    ];
  }
  const ready = state.phase === 'running';
  return [
    { label: trayTooltip(state), enabled: false },
    separator,
    { label: 'Proxy mode', type: 'radio', checked: state.mode === 'proxy', enabled: ready, action: { kind: 'setMode', mode: 'proxy' } },
    { label: 'Batch mode', type: 'radio', checked: state.mode === 'batch', enabled: ready, action: { kind: 'setMode', mode: 'batch' } },
    separator,
    { label: 'Servers', type: 'submenu', enabled: ready, submenu: serverItems(state) },
    {
      label: 'Copy client configuration',
      type: 'submenu',
      enabled: ready && state.servers.length > 0,
      submenu: CLIENT_KINDS.map((client) => ({ label: CLIENT_LABELS[client], action: { kind: 'copyClientConfig', client } })),
    },
    separator,
    { label: 'Open dashboard', action: { kind: 'openDashboard' } },
    ...files,
    separator,
    {
      label: 'Start at login',
      type: 'checkbox',
      checked: state.openAtLogin,
      action: { kind: 'setOpenAtLogin', enabled: !state.openAtLogin },
    },
    separator,
    quit,
  ];
}

function serverItems(state: TrayState): MenuItemModel[] {
  if (state.servers.length === 0) return [{ label: 'No servers configured', enabled: false }];
  return state.servers.map((server) => {
    const health = serverHealth({ ...server, configIssues: state.configIssues });
    const { state: now, name } = server;
    const canStart = now === 'stopped' || now === 'failed';
    const canStop = now === 'starting' || now === 'running' || now === 'crashed' || now === 'backoff';
    const canRestart = now !== 'disabled' && now !== 'stopped';
    const verb = (label: string, action: 'start' | 'stop' | 'restart', enabled: boolean): MenuItemModel => ({
      label,
      enabled,
      action: { kind: 'server', verb: action, server: name },
    });
    // The browser opens through the shell (the core's openBrowser); the state events then show the outcome.
    const signIn: MenuItemModel[] =
      health.action?.kind === 'signIn' ? [{ label: `Sign in to ${menuText(name)}`, action: { kind: 'signIn', server: name } }] : [];
    return {
      label: `${menuText(name)} — ${now === 'needs-sign-in' ? 'needs sign-in' : now}`,
      type: 'submenu',
      submenu: [
        { label: menuText(shorten(health.reason)), enabled: false },
        ...signIn,
        { label: '', type: 'separator' },
        verb('Start', 'start', canStart),
        verb('Stop', 'stop', canStop),
        verb('Restart', 'restart', canRestart),
      ],
    };
  });
}

function shorten(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > MAX_REASON ? `${line.slice(0, MAX_REASON - 1)}…` : line;
}

/** Menus on Windows and Linux read `&` as a mnemonic marker: a literal one is doubled. */
function menuText(text: string): string {
  return text.replace(/&/g, '&&');
}
