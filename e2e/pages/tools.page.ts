import type { Locator, Page } from '@playwright/test';

export class ToolsPage {
  constructor(readonly page: Page) {}

  get search(): Locator {
    return this.page.getByRole('searchbox', { name: 'Search tools' });
  }

  get catalog(): Locator {
    return this.page.getByRole('listbox', { name: 'Tools' });
  }

  get count(): Locator {
    return this.page.getByTestId('catalog-count');
  }

  option(name: string): Locator {
    return this.catalog.getByRole('option').filter({ hasText: name });
  }

  field(label: string): Locator {
    return this.page.getByLabel(label, { exact: true });
  }

  callButton(tool: string): Locator {
    return this.page.getByRole('button', { name: `Call ${tool}` });
  }

  get result(): Locator {
    return this.page.getByTestId('tool-result');
  }
}
