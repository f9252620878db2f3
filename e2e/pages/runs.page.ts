import type { Locator, Page } from '@playwright/test';
import { replaceEditorText } from './editor.js';

export class RunsPage {
  constructor(readonly page: Page) {}

  async setPlan(plan: unknown): Promise<void> {
    await this.setPlanText(JSON.stringify(plan, null, 2));
  }

  async setPlanText(text: string): Promise<void> {
    await replaceEditorText(this.page, this.page.getByTestId('json-editor'), text);
  }

  button(name: 'Dry run' | 'Run' | 'Cancel run'): Locator {
    return this.page.getByRole('button', { name, exact: true });
  }

  /** A task's node on the graph; its `data-status` is the task's live state. */
  node(task: string): Locator {
    return this.page.getByTestId(`task-${task}`);
  }

  get dryRun(): Locator {
    return this.page.getByRole('region', { name: 'Dry run' });
  }

  get history(): Locator {
    return this.page.getByRole('table', { name: 'Run history' });
  }
}
