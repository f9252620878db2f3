/** The preload script of the dashboard window (sandboxed; bundled to dist/preload/preload.cjs). */
import { contextBridge, ipcRenderer } from 'electron';
import { exposeBridge } from './bridge.js';

exposeBridge(contextBridge, ipcRenderer);
