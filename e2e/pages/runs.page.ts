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

  /**
   * Records, in the page, every state the graph shows for `task` from now on: a fast task can pass
   * through `running` between two looks, so the test reads the history instead of racing it.
   */
  async recordStates(task: string): Promise<() => Promise<string[]>> {
    const key = `__states_${task}`;
    await this.page.evaluate(
      ({ id, store }) => {
        const target = globalThis as unknown as Record<string, string[]> & {
          document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null; body: unknown };
        };
        const seen: string[] = (target[store] = []);
        const look = () => {
          const status = target.document.querySelector(`[data-testid="task-${id}"]`)?.getAttribute('data-status');
          if (status && seen.at(-1) !== status) seen.push(status);
        };
        const Observer = (
          globalThis as unknown as { MutationObserver: new (callback: () => void) => { observe(node: unknown, options: object): void } }
        ).MutationObserver;
        new Observer(look).observe(target.document.body, {
          subtree: true,
          childList: true,
          attributes: true,
          attributeFilter: ['data-status'],
        });
        look();
      },
      { id: task, store: key },
    );
    return () => this.page.evaluate((store) => (globalThis as unknown as Record<string, string[]>)[store] ?? [], key);
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
