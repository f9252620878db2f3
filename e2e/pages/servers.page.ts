import type { Locator, Page } from '@playwright/test';

export class ServersPage {
  constructor(readonly page: Page) {}

  row(server: string): Locator {
    return this.page.getByRole('table', { name: 'Servers' }).getByRole('row').filter({ hasText: server });
  }

  control(name: 'Start' | 'Stop' | 'Restart' | 'Enable' | 'Disable', server: string): Locator {
    return this.page.getByRole('group', { name: `Controls of ${server}` }).getByRole('button', { name, exact: true });
  }

  /** The state badge beside the server's name in its detail. */
  detailState(server: string): Locator {
    return this.page.getByRole('heading', { name: server, level: 2 }).locator('xpath=following-sibling::span[1]');
  }

  log(server: string): Locator {
    return this.page.getByLabel(`Log of ${server}`);
  }
}
