/**
 * Updates through electron-updater, off until a publish target is configured: electron-builder
 * writes `app-update.yml` into the app's resources only when `publish` is set in
 * electron-builder.yml, so without that file nothing is loaded and nothing is asked of any server.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The part of electron-updater's `autoUpdater` used here. */
export interface UpdaterLike {
  checkForUpdatesAndNotify(): Promise<unknown>;
}

export interface UpdateOptions {
  /** `process.resourcesPath` of the packaged app; undefined when running from the source tree. */
  resourcesPath: string | undefined;
  /** Loads electron-updater (only when updates are on). */
  loadUpdater(): Promise<UpdaterLike>;
  log(message: string): void;
  exists?: (path: string) => boolean;
}

/**
 * electron-updater's `autoUpdater` from its module as Node's ESM loader gives it. electron-updater is
 * CommonJS and defines `autoUpdater` with a getter, which Node's export detection cannot see: the
 * namespace's own `autoUpdater` is undefined and the real one is on `default`. Throws when neither
 * has it, so the caller logs the failure instead of calling a method of undefined.
 */
export function autoUpdaterOf(module: unknown): UpdaterLike {
  const namespace = module as { autoUpdater?: UpdaterLike; default?: { autoUpdater?: UpdaterLike } };
  const updater = namespace.autoUpdater ?? namespace.default?.autoUpdater;
  if (typeof updater?.checkForUpdatesAndNotify !== 'function') throw new Error('electron-updater has no autoUpdater');
  return updater;
}

/** Whether updates are on: a packaged app built with a `publish` setting. */
export function updatesConfigured(resourcesPath: string | undefined, exists: (path: string) => boolean = existsSync): boolean {
  return resourcesPath !== undefined && exists(join(resourcesPath, 'app-update.yml'));
}

/** Checks for an update once, when configured; answers whether it did. Never rejects. */
export async function checkForUpdates(options: UpdateOptions): Promise<boolean> {
  if (!updatesConfigured(options.resourcesPath, options.exists)) return false;
  try {
    const updater = await options.loadUpdater();
    await updater.checkForUpdatesAndNotify();
  } catch (error) {
    options.log(`update check failed: ${(error as Error).message}`);
  }
  return true;
}
