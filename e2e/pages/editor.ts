import type { Locator, Page } from '@playwright/test';

/** Replaces the whole text of a CodeMirror editor, as a user would: focus, select all, type over. */
export async function replaceEditorText(page: Page, editor: Locator, text: string): Promise<void> {
  const content = editor.locator('.cm-content');
  await content.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}
