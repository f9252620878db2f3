/**
 * The `electron` module of the emulated desktop (the e2e `desktop` project): what main.ts and the
 * preload use (surface.ts), made of Node and a Chromium driven with playwright-core. Loaded by
 * `register.mjs` in place of `electron`. Reports and commands: report.ts; the user-data folder is
 * `$FAKE_ELECTRON_USER_DATA`. Commands: `quit`, `close` (the window's close button),
 * `tray <label>` (a click on a tray menu item, found by label, submenus included).
 */
import { EventEmitter } from 'node:events';
import { EmulatedApp } from './app.js';
import { EmulatedIpcMain } from './ipc-main.js';
import { onCommand, report } from './report.js';
import type { ElectronSurface } from './surface.js';
import { browserWindowClass, type EmulatedWebContents } from './web-contents.js';

const userData = process.env.FAKE_ELECTRON_USER_DATA;
if (!userData) throw new Error('FAKE_ELECTRON_USER_DATA must name the user-data folder');

export const app = new EmulatedApp(userData);
export const ipcMain = new EmulatedIpcMain();

const windows: InstanceType<ReturnType<typeof browserWindowClass>>[] = [];
const WindowBase = browserWindowClass(() => ({
  host: app.host,
  ipcMain,
  created: (contents: EmulatedWebContents) => app.emit('web-contents-created', {}, contents),
}));
export class BrowserWindow extends WindowBase {
  constructor(options: { webPreferences?: { preload?: string } }) {
    super(options);
    windows.push(this);
  }
}

interface TemplateItem {
  label?: string;
  enabled?: boolean;
  submenu?: TemplateItem[];
  click?: () => void;
}
let trayMenu: TemplateItem[] = [];

export class Tray extends EventEmitter {
  setImage(image: { path?: string }): void {
    report('trayImage', { path: image.path });
  }
  setToolTip(text: string): void {
    report('tooltip', { text });
  }
  setContextMenu(menu: TemplateItem[]): void {
    trayMenu = menu;
    report('menu', { labels: menu.map((item) => item.label ?? '---') });
  }
  destroy(): void {}
}

export const Menu = {
  buildFromTemplate: (template: TemplateItem[]) => template,
  setApplicationMenu(menu: unknown): void {
    report('applicationMenu', { menu });
  },
};
export const nativeImage = { createFromPath: (path: string) => ({ path }) };
export const nativeTheme = { themeSource: 'system', shouldUseDarkColors: false };
export class Notification {
  static isSupported(): boolean {
    return false;
  }
  show(): void {}
}
export const clipboard = { writeText(): void {} } satisfies ElectronSurface['clipboard'];
export const dialog = {
  showMessageBox(options: { title?: string; detail?: string }) {
    report('dialog', { title: options.title, detail: options.detail });
    return Promise.resolve({ response: 0, checkboxChecked: false });
  },
};
export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown): void {
    report('schemes', { schemes });
  },
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    app.host.protocols.set(scheme, handler);
    report('protocol', { scheme });
  },
  unhandle(scheme: string): void {
    app.host.protocols.delete(scheme);
  },
};
export const safeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (text: string) => Buffer.from(text).reverse(),
  decryptString: (buffer: Buffer) => Buffer.from(buffer).reverse().toString(),
  getSelectedStorageBackend: () => 'gnome_libsecret',
};
export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };
export const shell = {
  openPath(path: string): Promise<string> {
    report('openPath', { path });
    return Promise.resolve('');
  },
  openExternal(url: string): Promise<void> {
    report('openExternal', { url });
    return Promise.resolve();
  },
} satisfies ElectronSurface['shell'];

/** Every main-process member of the surface, and no other (contextBridge and ipcRenderer live in the page: web-contents.ts). */
type MainProcessSurface = Omit<ElectronSurface, 'contextBridge' | 'ipcRenderer'>;
export default {
  app,
  BrowserWindow,
  Tray,
  Menu,
  nativeImage,
  nativeTheme,
  Notification,
  clipboard,
  dialog,
  protocol,
  ipcMain,
  safeStorage,
  screen,
  shell,
} satisfies Record<keyof MainProcessSurface, unknown>;

onCommand('quit', () => app.quit());
onCommand('close', () => windows.at(-1)?.requestClose());
onCommand('tray', (label) => {
  const find = (items: TemplateItem[]): TemplateItem[] =>
    items.flatMap((item) => (item.label === label ? [item] : find(item.submenu ?? [])));
  const item = find(trayMenu)[0];
  if (!item?.click) report('noTrayItem', { label });
  else if (item.enabled === false) report('trayItemDisabled', { label });
  else {
    report('trayClick', { label });
    item.click();
  }
});
