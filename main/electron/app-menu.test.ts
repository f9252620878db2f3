/** The application menu: never Electron's default (Reload, DevTools); on macOS the usual menus. */
import { describe, expect, it } from 'vitest';
import { installApplicationMenu, type AppMenuItem } from './app-menu.js';

/** Electron's `Menu` as far as the app menu uses it: remembers what was set. */
function fakeMenu() {
  const set: { menu: AppMenuItem[] | null | undefined } = { menu: undefined };
  return {
    set,
    api: {
      buildFromTemplate: (template: AppMenuItem[]) => template,
      setApplicationMenu: (menu: AppMenuItem[] | null) => {
        set.menu = menu;
      },
    },
  };
}

const roles = (items: AppMenuItem[]): string[] =>
  items.flatMap((item) => [...(item.role ? [item.role] : []), ...roles(item.submenu ?? [])]);

describe('the application menu', () => {
  it('is set on macOS, with About, Hide, Quit and an Edit menu, and nothing to reload or debug', () => {
    const { set, api } = fakeMenu();
    installApplicationMenu(api, 'darwin', 'MCP Orch');
    expect(set.menu).toBeTruthy();
    const all = roles(set.menu ?? []);
    expect(all).toEqual(expect.arrayContaining(['about', 'hide', 'quit', 'cut', 'copy', 'paste', 'selectAll']));
    for (const role of ['reload', 'forceReload', 'toggleDevTools', 'viewMenu', 'fileMenu', 'appMenu', 'editMenu', 'windowMenu'])
      expect(all).not.toContain(role);
    expect(set.menu?.[0]?.label).toBe('MCP Orch');
  });

  it.each(['win32', 'linux'] as const)('is explicitly removed on %s, so the default one never shows', (platform) => {
    const { set, api } = fakeMenu();
    installApplicationMenu(api, platform, 'MCP Orch');
    expect(set.menu).toBeNull();
  });
});
