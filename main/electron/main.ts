/**
 * The desktop app's composition root: the one file that binds the real Electron objects to the
 * modules of main/electron, which take them through small interfaces. Nothing here is tested
 * under Node (it needs Electron's binary); everything it wires is.
 */
import { join } from 'node:path';
import {
  BrowserWindow,
  Menu,
  Notification,
  Tray,
  app,
  clipboard,
  dialog,
  ipcMain,
  nativeImage,
  nativeTheme,
  protocol,
  safeStorage,
  screen,
  shell,
} from 'electron';
import ElectronStore from 'electron-store';
import { localPrincipal, loginShellEnv } from '../core/shell-surface.js';
import type { Dispatcher } from '../core/operations/dispatcher.js';
import { createRuntime } from '../core/runtime.js';
import { installApplicationMenu } from './app-menu.js';
import { APP_SCHEME_PRIVILEGES, serveRenderer } from './app-protocol.js';
import { registerBridgeHandlers } from './bridge.ipc.js';
import { appRootOf, corePathsFrom, desktopEnvironment, startCore, unpackedPath } from './core-host.js';
import { DesktopApp } from './desktop-app.js';
import { keychainCodec, keychainSecrets } from './keychain-secrets.js';
import { LoginItem } from './login-item.js';
import { MainWindow } from './main-window.js';
import { Notifier } from './notifier.js';
import { PREFERENCE_STORE_OPTIONS, Preferences } from './preferences.js';
import { trayActions } from './tray-actions.js';
import { TrayController, type MenuTemplateItem } from './tray-controller.js';
import { trayIconPath } from './tray-icons.js';
import { TrayModel } from './tray-state.js';
import { autoUpdaterOf, checkForUpdates } from './updates.js';
import { guardEveryWebContents, isTrustedSender } from './window-policy.js';

// Before the app is ready, or Chromium will not treat app:// as a secure, standard origin.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.setAppUserModelId('dev.mcp-orch.desktop');
// `npm run app` starts Electron on a script, not on a packaged app: the name (and so the user-data folder) is set here.
app.setName('MCP Orch');

function main(): void {
  /** The app's own files: the repository in development, `app.asar` when packaged. */
  const appRoot = app.isPackaged ? app.getAppPath() : appRootOf(import.meta.url);
  const principal = localPrincipal('desktop');
  const preferences = new Preferences(new ElectronStore(PREFERENCE_STORE_OPTIONS));
  nativeTheme.themeSource = preferences.get('theme');
  const loginItem = new LoginItem({
    platform: process.platform,
    app,
    executable: process.env.APPIMAGE ?? process.execPath,
    autostartDir: join(process.env.XDG_CONFIG_HOME ?? join(app.getPath('home'), '.config'), 'autostart'),
  });
  const model = new TrayModel({ openAtLogin: preferences.get('openAtLogin'), mode: preferences.get('lastMode') });
  model.onDidChange((state) => {
    if (state.mode && state.mode !== preferences.get('lastMode')) preferences.set('lastMode', state.mode);
  });

  const log = (message: string): void => console.error(`mcp-orch: ${message}`);
  const showError = (title: string, message: string): void => {
    void dialog.showMessageBox({ type: 'error', title, message: title, detail: message });
  };
  const notify = (title: string, body: string): void => {
    if (Notification.isSupported()) new Notification({ title, body }).show();
  };

  // Set once made; the window asks whether the app is quitting, the tray for the core's dispatcher.
  let desktop: DesktopApp | undefined = undefined;
  let dispatcher: Dispatcher | undefined = undefined;
  // The core's origin while it runs: the one plain-http destination a link may open in the browser.
  let coreOrigin: string | undefined = undefined;
  // The config file and log folder of the environment the core is started with, once it is known.
  let corePaths: ReturnType<typeof corePathsFrom> | undefined = undefined;

  const openInBrowser = (url: string): Promise<void> => shell.openExternal(url);
  const openExternal = (url: string): void => void openInBrowser(url);
  // Every web contents, the window's and any made later, gets the navigation and window-open policy.
  guardEveryWebContents(app, openExternal, () => coreOrigin);

  const window = new MainWindow({
    createWindow: (options) => new BrowserWindow(options),
    preloadPath: join(appRoot, 'dist', 'preload', 'preload.cjs'),
    preferences,
    workAreas: () => screen.getAllDisplays().map((display) => display.workArea),
    openExternal,
    coreOrigin: () => coreOrigin,
    isQuitting: () => desktop?.quitting ?? false,
    onLoadError: (error) => showError('The dashboard could not be loaded', `${error.message}\nIs dist/renderer/ built?`),
    dark: () => nativeTheme.shouldUseDarkColors,
  });

  desktop = new DesktopApp({
    app,
    argv: process.argv,
    openedAtLogin: () => process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin,
    principal,
    model,
    window,
    onReady(core) {
      installApplicationMenu(Menu, process.platform, app.name);
      serveRenderer(protocol, join(appRoot, 'dist', 'renderer'));
      // Before the window loads: its first call waits for the core here instead of finding no handler.
      const stopBridge = registerBridgeHandlers({
        ipcMain,
        core: core.then((handle) => handle?.dispatcher),
        principal,
        isTrustedSender,
        onRefused: (channel, url) => log(`refused ${channel} from ${url ?? 'a gone frame'}`),
      });
      const trayDir = join(appRoot, 'resources', 'tray');
      const icon = (kind: Parameters<typeof trayIconPath>[2]) => nativeImage.createFromPath(trayIconPath(trayDir, process.platform, kind));
      const tray = new Tray(icon('running'));
      const controller = new TrayController({
        tray,
        buildMenu: (template: MenuTemplateItem[]) => Menu.buildFromTemplate(template),
        icon,
        model,
        perform: trayActions({
          dispatcher: () => dispatcher,
          principal,
          model,
          writeClipboard: (text) => clipboard.writeText(text),
          openPath: (path) => shell.openPath(path),
          paths: () => corePaths,
          showDashboard: () => window.show(),
          async setOpenAtLogin(enabled) {
            await loginItem.setEnabled(enabled);
            preferences.set('openAtLogin', enabled);
          },
          quit: () => app.quit(),
          notify,
        }),
        showError,
        onClick: () => window.show(),
      });
      app.once('will-quit', () => controller.dispose());
      void loginItem.isEnabled().then((enabled) => model.update({ openAtLogin: enabled }));
      return stopBridge;
    },
    async startCore() {
      const env = desktopEnvironment(process.env, await loginShellEnv(), process.platform, log);
      corePaths = corePathsFrom(env);
      const secrets = keychainSecrets({
        safeStorage,
        path: join(app.getPath('userData'), 'secrets.json'),
        env,
        platform: process.platform,
      });
      const exampleServer = unpackedPath(join(appRoot, 'dist', 'example-server', 'example-server.mjs'));
      return startCore({
        createRuntime,
        env,
        secrets,
        exampleServer,
        openExternal: openInBrowser,
        oauthCodec: keychainCodec(safeStorage, process.platform),
      });
    },
    async connect(core) {
      dispatcher = core.dispatcher;
      coreOrigin = core.url;
      const notifier = new Notifier({ notify, windowVisible: () => window.isVisible() });
      const subscribed = core.dispatcher.subscribe(principal, (event) => notifier.handle(event));
      const stopTray = await model.follow(core.dispatcher, principal, (message) => log(`tray: ${message}`));
      void checkForUpdates({
        resourcesPath: app.isPackaged ? process.resourcesPath : undefined,
        loadUpdater: async () => autoUpdaterOf(await import('electron-updater')),
        log,
      });
      return () => {
        stopTray();
        if (subscribed.ok) subscribed.value();
        dispatcher = undefined;
        coreOrigin = undefined;
      };
    },
    showError,
    log,
  });

  desktop.start().catch((error: unknown) => {
    showError('MCP Orch could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
}

main();
