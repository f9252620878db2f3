/**
 * The tray icon itself: renders `trayMenu` / `trayIconKind` / `trayTooltip` for every state the
 * model fires, and runs the clicked action. An action that fails is shown, never swallowed.
 */
import { trayIconKind, trayMenu, trayTooltip, type MenuItemModel, type TrayAction, type TrayIconKind } from './tray-menu.js';
import type { TrayModel } from './tray-state.js';

/** A menu item as `Menu.buildFromTemplate` takes it. */
export interface MenuTemplateItem {
  label?: string;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  checked?: boolean;
  enabled?: boolean;
  submenu?: MenuTemplateItem[];
  click?: () => void;
}

export interface TrayControllerOptions<Image, Menu> {
  /** The part of Electron's `Tray` used here. */
  tray: {
    setImage(image: Image): void;
    setToolTip(toolTip: string): void;
    setContextMenu(menu: Menu): void;
    on(event: 'click', listener: () => void): unknown;
    destroy(): void;
  };
  buildMenu(template: MenuTemplateItem[]): Menu;
  icon(kind: TrayIconKind): Image;
  model: TrayModel;
  perform(action: TrayAction): Promise<void>;
  showError(title: string, message: string): void;
  /** A left click on the icon (Windows): opens the dashboard. */
  onClick(): void;
}

/** The words for an action in an error title: "Could not restart github". */
export function describeAction(action: TrayAction): string {
  switch (action.kind) {
    case 'setMode':
      return `switch to ${action.mode} mode`;
    case 'server':
      return `${action.verb} ${action.server}`;
    case 'signIn':
      return `sign in to ${action.server}`;
    case 'copyClientConfig':
      return 'copy the client configuration';
    case 'openDashboard':
      return 'open the dashboard';
    case 'openConfig':
      return 'open the config file';
    case 'openLogs':
      return 'open the logs folder';
    case 'setOpenAtLogin':
      return action.enabled ? 'turn on start at login' : 'turn off start at login';
    case 'quit':
      return 'quit';
  }
}

export class TrayController<Image, Menu> {
  private readonly stopFollowing: () => void;
  private lastIcon: TrayIconKind | undefined;

  constructor(private readonly options: TrayControllerOptions<Image, Menu>) {
    options.tray.on('click', () => options.onClick());
    this.render();
    this.stopFollowing = options.model.onDidChange(() => this.render());
  }

  /** Runs `action`; a failure becomes an error dialog naming what could not be done. */
  async run(action: TrayAction): Promise<void> {
    try {
      await this.options.perform(action);
    } catch (error) {
      this.options.showError(`Could not ${describeAction(action)}`, error instanceof Error ? error.message : String(error));
    }
  }

  dispose(): void {
    this.stopFollowing();
    this.options.tray.destroy();
  }

  private render(): void {
    const { tray, model } = this.options;
    const state = model.current;
    const icon = trayIconKind(state);
    if (icon !== this.lastIcon) {
      tray.setImage(this.options.icon(icon));
      this.lastIcon = icon;
    }
    tray.setToolTip(trayTooltip(state));
    tray.setContextMenu(this.options.buildMenu(trayMenu(state).map((item) => this.template(item))));
  }

  private template(item: MenuItemModel): MenuTemplateItem {
    const { action } = item;
    return {
      ...(item.type === 'separator' ? { type: 'separator' as const } : { label: item.label }),
      ...(item.type && item.type !== 'separator' ? { type: item.type } : {}),
      ...(item.checked !== undefined ? { checked: item.checked } : {}),
      ...(item.enabled !== undefined ? { enabled: item.enabled } : {}),
      ...(item.submenu ? { submenu: item.submenu.map((child) => this.template(child)) } : {}),
      ...(action ? { click: () => void this.run(action) } : {}),
    };
  }
}
