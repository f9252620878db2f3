/**
 * Which tray image file shows each state on each platform: macOS template images (black and
 * alpha, `…Template.png` with its `@2x`, tinted by the system for light and dark menu bars), a
 * Windows `.ico` with every size, and a coloured PNG (with `@2x`) on Linux.
 */
import { join } from 'node:path';
import type { TrayIconKind } from './tray-menu.js';

export const TRAY_ICON_KINDS: readonly TrayIconKind[] = ['running', 'failing', 'stopped'];

/** The file to load for `kind` on `platform`, under the app's `resources/tray`. */
export function trayIconPath(trayDir: string, platform: NodeJS.Platform, kind: TrayIconKind): string {
  if (platform === 'darwin') return join(trayDir, `tray-${kind}Template.png`);
  if (platform === 'win32') return join(trayDir, `tray-${kind}.ico`);
  return join(trayDir, `tray-${kind}.png`);
}
