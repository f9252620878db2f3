import type { Locator, Page } from '@playwright/test';
import { replaceEditorText } from './editor.js';

export class ConfigPage {
  constructor(readonly page: Page) {}

  /** The field of a server's form, by the JSON path the config's problems name. */
  field(path: string): Locator {
    return this.page.locator(`[data-path="${path}"]`);
  }

  input(server: string, field: string): Locator {
    return this.page.locator(`#server-${server}-${field}`);
  }

  button(name: 'Review changes' | 'Apply' | 'Discard changes' | 'Add server'): Locator {
    return this.page.getByRole('button', { name, exact: true });
  }

  get diff(): Locator {
    return this.page.getByLabel('Diff of the configuration');
  }

  get problems(): Locator {
    return this.page.getByRole('alert', { name: 'Problems' });
  }

  async setRaw(text: string): Promise<void> {
    await replaceEditorText(this.page, this.page.getByTestId('json-editor'), text);
  }
}
