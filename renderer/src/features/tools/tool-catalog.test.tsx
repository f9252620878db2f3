/**
 * The catalog's keyboard: the active row follows the keys, and a tool opened from the list does
 * not pull the active row back when the page shows it a moment later (the selection is brought
 * into view only for a tool opened by its URL).
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter, useLocation } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import type { ToolItem } from '../../stores/types';
import { ToolCatalog } from './tool-catalog';

afterEach(cleanup);

const tool = (name: string): ToolItem => ({
  server: 'example',
  name,
  inputSchema: { type: 'object' },
  enabled: true,
  cached: false,
  autoApproved: false,
});
const TOOLS = [tool('add'), tool('echo'), tool('now')];

function Where() {
  return <output data-testid="where">{useLocation().pathname}</output>;
}

function Page({ selected }: { selected?: ToolItem }) {
  return (
    <>
      <ToolCatalog tools={TOOLS} selected={selected} />
      <Where />
    </>
  );
}

describe('the tool catalog', () => {
  it('opens the tool the keys moved to, even when the page shows the first opened tool only after the next key', () => {
    const view = render(
      <MemoryRouter initialEntries={['/tools']}>
        <Page />
      </MemoryRouter>,
    );
    const list = screen.getByRole('listbox', { name: 'Tools' });
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'Enter' });
    expect(screen.getByTestId('where').textContent).toBe('/tools/example/echo');
    // The user moves on before the page has rendered the tool it opened…
    fireEvent.keyDown(list, { key: 'End' });
    // …then the page shows echo as selected.
    act(() =>
      view.rerender(
        <MemoryRouter initialEntries={['/tools']}>
          <Page selected={TOOLS[1]} />
        </MemoryRouter>,
      ),
    );
    fireEvent.keyDown(screen.getByRole('listbox', { name: 'Tools' }), { key: 'Enter' });
    expect(screen.getByTestId('where').textContent).toBe('/tools/example/now');
  });

  it('makes a tool opened by its URL the active row', () => {
    render(
      <MemoryRouter initialEntries={['/tools/example/now']}>
        <Page selected={TOOLS[2]} />
      </MemoryRouter>,
    );
    const list = screen.getByRole('listbox', { name: 'Tools' });
    fireEvent.keyDown(list, { key: 'ArrowUp' });
    fireEvent.keyDown(list, { key: 'Enter' });
    expect(screen.getByTestId('where').textContent).toBe('/tools/example/echo');
  });
});
