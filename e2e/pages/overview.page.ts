import type { Locator, Page } from '@playwright/test';

export class OverviewPage {
  constructor(readonly page: Page) {}

  card(server: string): Locator {
    return this.page.getByTestId(`server-card-${server}`);
  }

  get modeSwitch(): Locator {
    return this.page.getByRole('switch', { name: 'Batch mode' });
  }

  total(label: string): Locator {
    return this.page
      .getByRole('region', { name: 'Totals' })
      .locator('div', { has: this.page.getByText(label, { exact: true }) })
      .locator('p')
      .nth(1);
  }
}
