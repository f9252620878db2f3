/**
 * Start at login: the system's login items on macOS and Windows (`app.setLoginItemSettings`), an
 * XDG autostart entry (`~/.config/autostart/mcp-orch.desktop`) on Linux, where Electron has none.
 * A start at login passes `--hidden`: the app comes up in the tray without its window.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The argument a start at login carries. */
export const HIDDEN_ARG = '--hidden';

/** The part of Electron's `app` used on macOS and Windows. */
export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
  getLoginItemSettings(options?: { args?: string[] }): { openAtLogin: boolean };
}

export interface LoginItemOptions {
  platform: NodeJS.Platform;
  app: LoginItemApp;
  /** The program to start: `process.env.APPIMAGE` for an AppImage (its mount point changes), else `process.execPath`. */
  executable: string;
  /** `$XDG_CONFIG_HOME/autostart`, default `~/.config/autostart`. */
  autostartDir: string;
}

/** The autostart file's name. */
export const DESKTOP_FILE = 'mcp-orch.desktop';

export class LoginItem {
  constructor(private readonly options: LoginItemOptions) {}

  async isEnabled(): Promise<boolean> {
    if (this.options.platform !== 'linux') return this.options.app.getLoginItemSettings({ args: [HIDDEN_ARG] }).openAtLogin;
    const text = await readFile(this.desktopFile(), 'utf8').catch(() => undefined);
    return text !== undefined && !/^Hidden\s*=\s*true\s*$/m.test(text);
  }

  async setEnabled(enabled: boolean): Promise<void> {
    const { options } = this;
    if (options.platform !== 'linux') {
      options.app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_ARG] });
      return;
    }
    if (!enabled) {
      await rm(this.desktopFile(), { force: true });
      return;
    }
    await mkdir(options.autostartDir, { recursive: true });
    await writeFile(this.desktopFile(), autostartEntry(options.executable), { mode: 0o644 });
  }

  private desktopFile(): string {
    return join(this.options.autostartDir, DESKTOP_FILE);
  }
}

/** The autostart entry that runs `executable --hidden` (Desktop Entry Specification 1.5). */
export function autostartEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.5',
    'Name=MCP Orch',
    'Comment=Runs your local MCP servers',
    `Exec=${execArgument(executable)} ${HIDDEN_ARG}`,
    'Icon=mcp-orch',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * One argument of an `Exec` key: quoted when it holds a reserved character, with `"`, `` ` ``, `$`
 * and `\` escaped inside the quotes, then the string-value escape of `\` applied on top (so one
 * backslash is written as four), and `%` doubled (field codes).
 */
export function execArgument(argument: string): string {
  const escapedPercent = argument.replace(/%/g, '%%');
  if (!/[\s"'\\><~|&;$*?#()`]/.test(escapedPercent)) return escapedPercent;
  const quoted = `"${escapedPercent.replace(/(["`$\\])/g, '\\$1')}"`;
  return quoted.replace(/\\/g, '\\\\');
}
