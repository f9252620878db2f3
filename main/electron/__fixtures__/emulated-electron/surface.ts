/**
 * The Electron API the emulated desktop (the e2e `desktop` project) provides: every member is a
 * `Pick` of Electron's own types (node_modules/electron/electron.d.ts), so its signatures are
 * Electron's, and only the picked ones exist. `checked-electron.ts` declares these as the `electron`
 * module for `tsconfig.surface.json`, with which main/electron/emulated-electron-surface.test.ts
 * type-checks main.ts and the preload: a method the app starts to use that is not picked here fails it.
 */
/// <reference types="electron" />
// Electron's global namespace, not `import 'electron'`: the surface check maps that module to this surface.
type Real = typeof Electron.CrossProcessExports;

/** The part of a `WebContents` the app uses (IPC sender, window policy). */
export type EmulatedWebContents = Pick<Electron.WebContents, 'id' | 'send' | 'isDestroyed' | 'on' | 'once' | 'setWindowOpenHandler'> & {
  readonly session: Pick<Electron.Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;
};

/** The part of a `BrowserWindow` the app uses. */
export type EmulatedBrowserWindow = Pick<
  Electron.BrowserWindow,
  | 'loadURL'
  | 'show'
  | 'hide'
  | 'focus'
  | 'restore'
  | 'maximize'
  | 'isMinimized'
  | 'isMaximized'
  | 'isVisible'
  | 'isDestroyed'
  | 'getNormalBounds'
  | 'on'
  | 'once'
> & { readonly webContents: EmulatedWebContents };

export type EmulatedApp = Pick<
  Electron.App,
  | 'on'
  | 'once'
  | 'emit'
  | 'quit'
  | 'exit'
  | 'whenReady'
  | 'requestSingleInstanceLock'
  | 'getPath'
  | 'getAppPath'
  | 'getVersion'
  | 'setName'
  | 'setAppUserModelId'
  | 'getLoginItemSettings'
  | 'setLoginItemSettings'
  | 'isPackaged'
  | 'name'
>;

export type EmulatedTray = Pick<Electron.Tray, 'setImage' | 'setToolTip' | 'setContextMenu' | 'on' | 'destroy'>;

/** The whole emulated module, main process and preload. */
export interface ElectronSurface {
  app: EmulatedApp;
  BrowserWindow: new (options: Electron.BrowserWindowConstructorOptions) => EmulatedBrowserWindow;
  Tray: new (image: Electron.NativeImage | string) => EmulatedTray;
  Menu: Pick<Real['Menu'], 'buildFromTemplate' | 'setApplicationMenu'>;
  Notification: Pick<Real['Notification'], 'isSupported'> &
    (new (options: Electron.NotificationConstructorOptions) => Pick<Electron.Notification, 'show'>);
  nativeImage: Pick<Real['nativeImage'], 'createFromPath'>;
  nativeTheme: Pick<Electron.NativeTheme, 'themeSource' | 'shouldUseDarkColors'>;
  clipboard: Pick<Electron.Clipboard, 'writeText'>;
  dialog: Pick<Electron.Dialog, 'showMessageBox'>;
  protocol: Pick<Electron.Protocol, 'registerSchemesAsPrivileged' | 'handle' | 'unhandle'>;
  ipcMain: Pick<Electron.IpcMain, 'handle' | 'removeHandler' | 'on' | 'removeListener'>;
  safeStorage: Pick<Electron.SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;
  screen: Pick<Electron.Screen, 'getAllDisplays'>;
  shell: Pick<Electron.Shell, 'openExternal' | 'openPath'>;
  contextBridge: Pick<Electron.ContextBridge, 'exposeInMainWorld'>;
  ipcRenderer: Pick<Electron.IpcRenderer, 'invoke' | 'send' | 'on' | 'removeListener'>;
}
