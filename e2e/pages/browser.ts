/** What a test reads from the page's browser APIs (the e2e code is type-checked without the DOM library). */
import type { Page } from '@playwright/test';

interface BrowserGlobals {
  navigator: { clipboard: { readText(): Promise<string> } };
  localStorage: Record<string, string>;
  sessionStorage: { getItem(key: string): string | null };
}

export function clipboardText(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as BrowserGlobals).navigator.clipboard.readText());
}

/** Everything in localStorage (as JSON), and one sessionStorage item. */
export function storage(page: Page, sessionKey: string): Promise<{ local: string; session: string | null }> {
  return page.evaluate((key) => {
    const browser = globalThis as unknown as BrowserGlobals;
    return { local: JSON.stringify({ ...browser.localStorage }), session: browser.sessionStorage.getItem(key) };
  }, sessionKey);
}
