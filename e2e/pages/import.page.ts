import type { Locator, Page } from '@playwright/test';

export class ImportPage {
  constructor(readonly page: Page) {}

  choose(server: string, source: string): Locator {
    return this.page.getByRole('checkbox', { name: `Import ${server} from ${source}` });
  }

  nameFor(server: string): Locator {
    return this.page.getByRole('textbox', { name: `Name for ${server}` });
  }

  get merge(): Locator {
    return this.page.getByLabel('The merge into mcp-config.json');
  }
}
