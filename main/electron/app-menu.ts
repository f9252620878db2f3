/**
 * The application menu. Left unset, Electron installs its default one, with Reload, Force Reload
 * and Toggle Developer Tools, on every platform's window. On macOS the app menu (About, Hide,
 * Quit), an Edit menu (so copy and paste work in the dashboard: their shortcuts come from the menu
 * there) and a Window menu; on Windows and Linux no menu at all (Chromium handles the editing
 * shortcuts itself).
 */

/** A menu item as `Menu.buildFromTemplate` takes it, as far as this menu uses it. */
export interface AppMenuItem {
  role?:
    | 'about'
    | 'hide'
    | 'hideOthers'
    | 'unhide'
    | 'quit'
    | 'undo'
    | 'redo'
    | 'cut'
    | 'copy'
    | 'paste'
    | 'pasteAndMatchStyle'
    | 'selectAll'
    | 'minimize'
    | 'zoom'
    | 'close'
    | 'front';
  type?: 'separator';
  label?: string;
  submenu?: AppMenuItem[];
}

/** The part of Electron's `Menu` that sets the application menu. */
export interface AppMenuApi<M> {
  buildFromTemplate(template: AppMenuItem[]): M;
  setApplicationMenu(menu: M | null): void;
}

/** The template for `platform`, or null for no menu. */
export function applicationMenuTemplate(platform: NodeJS.Platform, appName: string): AppMenuItem[] | null {
  if (platform !== 'darwin') return null;
  const separator: AppMenuItem = { type: 'separator' };
  return [
    {
      label: appName,
      submenu: [{ role: 'about' }, separator, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, separator, { role: 'quit' }],
    },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        separator,
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'pasteAndMatchStyle' },
        { role: 'selectAll' },
      ],
    },
    { label: 'Window', submenu: [{ role: 'minimize' }, { role: 'zoom' }, { role: 'close' }, separator, { role: 'front' }] },
  ];
}

/** Sets the application menu for `platform`; call once the app is ready. */
export function installApplicationMenu<M>(menu: AppMenuApi<M>, platform: NodeJS.Platform, appName: string): void {
  const template = applicationMenuTemplate(platform, appName);
  menu.setApplicationMenu(template === null ? null : menu.buildFromTemplate(template));
}
