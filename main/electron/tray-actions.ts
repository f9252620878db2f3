/**
 * What each tray item does: one call of the operations layer (mode, servers, client
 * configuration) or one desktop action (open a file, the window, start at login, quit). A failure
 * throws an Error whose message says why; the controller shows it.
 */
import { operations, type OperationId } from '../../shared/api/operations.js';
import type { Principal } from '../core/shell-surface.js';
import type { Dispatcher } from '../core/operations/dispatcher.js';
import { CLIENT_LABELS } from '../../shared/client-config.js';
import type { TrayAction } from './tray-menu.js';
import type { TrayModel } from './tray-state.js';

export interface TrayActionDeps {
  /** Undefined until the core is up: then core actions say so. */
  dispatcher(): Dispatcher | undefined;
  principal: Principal;
  model: TrayModel;
  writeClipboard(text: string): void;
  /** `shell.openPath`: resolves '' on success, else the reason. */
  openPath(path: string): Promise<string>;
  /**
   * The config file and log folder of the environment the core is started with (the login
   * shell's, not the app's own: they can differ, e.g. `MCP_ORCH_HOME` exported by a profile);
   * undefined until that environment is known.
   */
  paths(): { configPath: string; logDir: string } | undefined;
  showDashboard(): void;
  setOpenAtLogin(enabled: boolean): Promise<void>;
  quit(): void;
  notify(title: string, body: string): void;
}

export function trayActions(deps: TrayActionDeps): (action: TrayAction) => Promise<void> {
  const call = async <T>(id: OperationId, input: object): Promise<T> => {
    const dispatcher = deps.dispatcher();
    if (!dispatcher) throw new Error('MCP Orch is not running: see the tray menu for why');
    const result = await dispatcher.dispatch(id, input, deps.principal);
    if (!result.ok) throw new Error(result.error.message);
    return result.value as T;
  };
  const paths = (): { configPath: string; logDir: string } => {
    const known = deps.paths();
    if (!known) throw new Error('MCP Orch is still starting: try again in a moment');
    return known;
  };
  const open = async (path: string): Promise<void> => {
    const problem = await deps.openPath(path);
    if (problem) throw new Error(`${path}: ${problem}`);
  };
  return async (action) => {
    switch (action.kind) {
      case 'setMode': {
        const { mode } = await call<{ mode: 'proxy' | 'batch' }>(operations['mode.set'].id, { mode: action.mode });
        deps.model.update({ mode });
        return;
      }
      case 'server':
        await call(`servers.${action.verb}`, { name: action.server });
        return;
      case 'signIn': {
        const result = await call<{ status: 'signed-in' } | { status: 'redirect'; authorizationUrl: string; opened: boolean }>(
          'servers.signIn',
          { name: action.server, openBrowser: true },
        );
        if (result.status === 'signed-in') deps.notify(`Signed in to ${action.server}`, 'A saved sign-in sufficed: it reconnects now.');
        else if (!result.opened) {
          // No browser could be opened: the link goes to the clipboard, for a person to open.
          deps.writeClipboard(result.authorizationUrl);
          deps.notify(`Sign in to ${action.server}`, 'No browser opened: the sign-in link is copied, paste it into a browser.');
        }
        return;
      }
      case 'copyClientConfig': {
        const snippet = await call<{ text: string }>('clientConfig.get', { client: action.client });
        deps.writeClipboard(snippet.text);
        // The snippet carries no key (keys are shown once, when made): say where one comes from.
        deps.notify(
          'Client configuration copied',
          `Paste it into ${CLIENT_LABELS[action.client]}'s MCP settings, with a key from the dashboard's Clients page.`,
        );
        return;
      }
      case 'openDashboard':
        deps.showDashboard();
        return;
      case 'openConfig':
        return open(paths().configPath);
      case 'openLogs':
        return open(paths().logDir);
      case 'setOpenAtLogin':
        await deps.setOpenAtLogin(action.enabled);
        deps.model.update({ openAtLogin: action.enabled });
        return;
      case 'quit':
        deps.quit();
        return;
    }
  };
}
