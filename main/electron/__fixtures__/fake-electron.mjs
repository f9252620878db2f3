// Test support: the Electron main-process API as far as main.ts uses it, for a smoke run under
// plain Node. Each thing the app does is printed as one line `FAKE_ELECTRON <json>` on stdout;
// lines on stdin act as a user would (see the commands at the end).
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const report = (what, details = {}) => process.stdout.write(`FAKE_ELECTRON ${JSON.stringify({ what, ...details })}\n`);
const userData = process.env.FAKE_ELECTRON_USER_DATA;
mkdirSync(userData, { recursive: true });

class FakeApp extends EventEmitter {
  isPackaged = false;
  name = 'Electron';
  setAppUserModelId() {}
  setName(name) {
    this.name = name;
  }
  getAppPath() {
    return process.cwd();
  }
  getPath(name) {
    return name === 'userData' ? userData : join(userData, name);
  }
  getVersion() {
    return '0.0.0-test';
  }
  requestSingleInstanceLock() {
    return true;
  }
  whenReady() {
    return Promise.resolve();
  }
  getLoginItemSettings() {
    return { openAtLogin: false, wasOpenedAtLogin: false };
  }
  setLoginItemSettings(settings) {
    report('loginItem', settings);
  }
  quit() {
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    report('quit', { prevented });
    if (!prevented) {
      this.emit('will-quit', {});
      process.exit(0);
    }
  }
  exit(code) {
    report('exit', { code });
    process.exit(code);
  }
}

export const app = new FakeApp();

class Contents extends EventEmitter {
  session = { setPermissionRequestHandler() {}, setPermissionCheckHandler() {} };
  windowOpenHandler = undefined;
  constructor() {
    super();
    // As Electron does for every web contents, a window's included.
    app.emit('web-contents-created', {}, this);
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
  /** What the policy does when the page navigates to `url`: 'prevented' or 'allowed'. */
  navigate(url) {
    let outcome = 'allowed';
    this.emit('will-navigate', { url, preventDefault: () => (outcome = 'prevented') });
    return outcome;
  }
}

export class BrowserWindow extends EventEmitter {
  webContents = new Contents();
  constructor(options) {
    super();
    report('window', { webPreferences: options.webPreferences });
  }
  loadURL(url) {
    report('load', { url });
    return Promise.resolve();
  }
  show() {}
  hide() {}
  focus() {}
  restore() {}
  maximize() {}
  isMinimized() {
    return false;
  }
  isMaximized() {
    return false;
  }
  isVisible() {
    return false;
  }
  isDestroyed() {
    return false;
  }
  getNormalBounds() {
    return { x: 0, y: 0, width: 1200, height: 800 };
  }
}

export class Tray extends EventEmitter {
  setImage(image) {
    report('trayImage', { path: image.path });
  }
  setToolTip(text) {
    report('tooltip', { text });
  }
  setContextMenu(menu) {
    trayMenu = menu;
    report('menu', { labels: menu.map((item) => item.label ?? '---') });
  }
  destroy() {}
}

export const Menu = {
  buildFromTemplate: (template) => template,
  setApplicationMenu(menu) {
    report('applicationMenu', { menu });
  },
};
export const nativeImage = { createFromPath: (path) => ({ path }) };
export const nativeTheme = { themeSource: 'system', shouldUseDarkColors: false };
export class Notification {
  static isSupported() {
    return false;
  }
}
export const clipboard = { writeText() {} };
export const dialog = {
  showMessageBox(options) {
    report('dialog', { title: options.title, detail: options.detail });
    return Promise.resolve({ response: 0 });
  },
};
export const protocol = {
  registerSchemesAsPrivileged(schemes) {
    report('schemes', { schemes });
  },
  handle(scheme) {
    report('protocol', { scheme });
  },
  unhandle() {},
};
class FakeIpcMain extends EventEmitter {
  handle(channel) {
    report('ipcHandle', { channel });
  }
  removeHandler() {}
}
export const ipcMain = new FakeIpcMain();
export const safeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (text) => Buffer.from(text).reverse(),
  decryptString: (buffer) => Buffer.from(buffer).reverse().toString(),
  getSelectedStorageBackend: () => 'gnome_libsecret',
};
export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };
export const shell = {
  openPath(path) {
    report('openPath', { path });
    return Promise.resolve('');
  },
  openExternal(url) {
    report('openExternal', { url });
    return Promise.resolve();
  },
};

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
};

// Commands on stdin: `quit`; `webcontents`, a web contents made after start (as a devtools or
// webview one would be), which then tries to leave; `tray <label>`, a click on a tray menu item.
let trayMenu = [];
createInterface({ input: process.stdin }).on('line', (line) => {
  const command = line.trim();
  if (command === 'quit') app.quit();
  if (command === 'webcontents') {
    const contents = new Contents();
    const navigation = contents.navigate('https://evil.example/away');
    const windowOpen = contents.windowOpenHandler?.({ url: 'http://example.com/plain' })?.action ?? 'allow';
    report('laterContents', { navigation, windowOpen });
  }
  if (command.startsWith('tray ')) {
    const label = command.slice('tray '.length);
    const find = (items) => items.flatMap((item) => (item.label === label ? [item] : find(item.submenu ?? [])));
    const item = find(trayMenu)[0];
    if (item?.click) item.click();
    else report('noTrayItem', { label });
  }
});
