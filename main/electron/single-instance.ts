/**
 * One MCP Orch per user: a second launch (a click in the Dock or Start menu while it runs) hands
 * over to the first, which shows its window, and quits.
 */

/** The part of Electron's `app` used here. */
export interface SingleInstanceApp {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  on(event: 'second-instance', listener: (event: unknown, argv: string[]) => void): unknown;
}

/**
 * Takes the single-instance lock. False: another instance has it (it has been told, and this one
 * is quitting). True: this is the instance; `onSecondLaunch` runs for every later launch.
 */
export function claimSingleInstance(app: SingleInstanceApp, onSecondLaunch: (argv: string[]) => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', (_event, argv) => onSecondLaunch(argv));
  return true;
}
