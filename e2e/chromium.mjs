/**
 * How the browser tests, the screenshots and the dashboard bench start Chromium: Debian's when it
 * is there (CI installs it), else Playwright's own; no sandbox (containers), no GPU, none of the
 * browser's own background work. The address bar's popup is off (`WebUIOmniboxPopup`,
 * `WebUIOmniboxAimPopup`): Chromium 156 builds it as a web page of some 220 modules in every new
 * window, and on a two-core machine that work lands on the page under test. Puppeteer turns the
 * same two features off by default.
 */
import { existsSync } from 'node:fs';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup',
];

/** Playwright's launch options; `keepOmniboxPopup` leaves the popup on (to measure what it costs). */
export function chromiumLaunchOptions({ keepOmniboxPopup = false } = {}) {
  return {
    ...(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {}),
    args: keepOmniboxPopup ? CHROMIUM_ARGS.filter((arg) => !arg.startsWith('--disable-features=')) : CHROMIUM_ARGS,
  };
}
