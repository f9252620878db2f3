// Test support: the Electron main-process API as far as main.ts uses it, for a smoke run under
// plain Node. Each thing the app does is printed as one line `FAKE_ELECTRON <json>` on stdout;
// the line `quit` on stdin quits the app as the tray's Quit would.
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
  setWindowOpenHandler() {}
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
    report('menu', { labels: menu.map((item) => item.label ?? '---') });
  }
  destroy() {}
}

export const Menu = { buildFromTemplate: (template) => template };
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
export const shell = { openPath: () => Promise.resolve(''), openExternal: () => Promise.resolve() };

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

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'quit') app.quit();
});
