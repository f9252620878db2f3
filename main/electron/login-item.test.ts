import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DESKTOP_FILE, LoginItem, autostartEntry, execArgument, type LoginItemApp } from './login-item.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-orch-autostart-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

class FakeLoginApp implements LoginItemApp {
  settings: { openAtLogin: boolean; args?: string[] } = { openAtLogin: false };
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void {
    this.settings = settings;
  }
  getLoginItemSettings(): { openAtLogin: boolean } {
    return { openAtLogin: this.settings.openAtLogin };
  }
}

describe('start at login', () => {
  it('on Linux writes and removes an XDG autostart entry that starts the app hidden', async () => {
    const autostartDir = join(dir, 'autostart');
    const item = new LoginItem({
      platform: 'linux',
      app: new FakeLoginApp(),
      executable: '/home/ada/Apps/MCP Orch.AppImage',
      autostartDir,
    });
    expect(await item.isEnabled()).toBe(false);
    await item.setEnabled(true);
    const text = await readFile(join(autostartDir, DESKTOP_FILE), 'utf8');
    expect(text).toContain('[Desktop Entry]\nType=Application\n');
    expect(text).toContain('Exec="/home/ada/Apps/MCP Orch.AppImage" --hidden\n');
    expect((await stat(join(autostartDir, DESKTOP_FILE))).mode & 0o777).toBe(0o644);
    expect(await item.isEnabled()).toBe(true);
    await item.setEnabled(false);
    expect(await item.isEnabled()).toBe(false);
    await item.setEnabled(false);
  });

  it('on macOS and Windows uses the system login items, with --hidden', async () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const app = new FakeLoginApp();
      const item = new LoginItem({ platform, app, executable: 'C:\\Program Files\\MCP Orch\\MCP Orch.exe', autostartDir: dir });
      await item.setEnabled(true);
      expect(app.settings).toEqual({ openAtLogin: true, args: ['--hidden'] });
      expect(await item.isEnabled()).toBe(true);
      await item.setEnabled(false);
      expect(await item.isEnabled()).toBe(false);
    }
  });

  it('quotes an Exec argument as the Desktop Entry Specification says', () => {
    expect(execArgument('/opt/mcp-orch/mcp-orch')).toBe('/opt/mcp-orch/mcp-orch');
    expect(execArgument('/opt/MCP Orch/mcp-orch')).toBe('"/opt/MCP Orch/mcp-orch"');
    expect(execArgument('/tmp/a"b$c`d')).toBe('"/tmp/a\\\\"b\\\\$c\\\\`d"');
    expect(execArgument('/tmp/back\\slash')).toBe('"/tmp/back\\\\\\\\slash"');
    expect(execArgument('/tmp/100%')).toBe('/tmp/100%%');
    expect(autostartEntry('/usr/bin/mcp-orch')).toMatch(/^Exec=\/usr\/bin\/mcp-orch --hidden$/m);
  });
});
