/**
 * The `electron` module as `tsconfig.surface.json` maps it: the emulated surface only (see
 * surface.ts). main.ts and the preload compile against this instead of Electron's full typings.
 */
import type { ElectronSurface } from './surface.js';

export declare const app: ElectronSurface['app'];
export declare const BrowserWindow: ElectronSurface['BrowserWindow'];
export declare const Tray: ElectronSurface['Tray'];
export declare const Menu: ElectronSurface['Menu'];
export declare const Notification: ElectronSurface['Notification'];
export declare const nativeImage: ElectronSurface['nativeImage'];
export declare const nativeTheme: ElectronSurface['nativeTheme'];
export declare const clipboard: ElectronSurface['clipboard'];
export declare const dialog: ElectronSurface['dialog'];
export declare const protocol: ElectronSurface['protocol'];
export declare const ipcMain: ElectronSurface['ipcMain'];
export declare const safeStorage: ElectronSurface['safeStorage'];
export declare const screen: ElectronSurface['screen'];
export declare const shell: ElectronSurface['shell'];
export declare const contextBridge: ElectronSurface['contextBridge'];
export declare const ipcRenderer: ElectronSurface['ipcRenderer'];
