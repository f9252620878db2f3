import type { Locator, Page } from '@playwright/test';

export class ClientsPage {
  constructor(readonly page: Page) {}

  card(client: string): Locator {
    return this.page.getByTestId(`client-${client}`);
  }

  diff(label: string): Locator {
    return this.page.getByLabel(`Change to the ${label} config`);
  }
}
