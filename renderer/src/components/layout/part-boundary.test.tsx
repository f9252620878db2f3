/**
 * A code-split part whose download fails (the daemon went away mid-load) shows an error in its
 * place while the rest of the page stays, and loads again when the event stream opens again or on
 * "Try again"; a part that loaded is left alone when the stream reconnects.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Suspense } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '@shared/api/client';
import { fetchTransport } from '@shared/api/fetch-transport';
import { StoresProvider } from '../../stores/context';
import { createStores, type Stores } from '../../stores/stores';
import { PartBoundary, reloadableLazy } from './part-boundary';

afterEach(cleanup);
// React reports every error a boundary catches on the console; the tests look at the page instead.
beforeEach(() => void vi.spyOn(console, 'error').mockImplementation(() => undefined));
afterEach(() => vi.restoreAllMocks());

/** Stores whose client is never called here (nothing in these tests loads). */
const makeStores = (): Stores => createStores(createClient(fetchTransport({ baseUrl: 'http://127.0.0.1:9' })));

function Charts() {
  return <p>the charts</p>;
}

/** A part whose first `failures` downloads break off, as the browser reports it, and whose next ones succeed. */
function partFailing(failures: number) {
  const loads = { count: 0 };
  const Part = reloadableLazy((): Promise<{ default: typeof Charts }> => {
    loads.count += 1;
    if (loads.count <= failures) return Promise.reject(new TypeError('Failed to fetch dynamically imported module: /assets/charts.js'));
    return Promise.resolve({ default: Charts });
  });
  return { Part, loads };
}

function Page({ stores, children }: { stores: Stores; children: React.ReactNode }) {
  return (
    <StoresProvider stores={stores}>
      <nav aria-label="Main">frame</nav>
      <PartBoundary label="The charts">
        <Suspense fallback={<p>loading</p>}>{children}</Suspense>
      </PartBoundary>
    </StoresProvider>
  );
}

describe('a part of the page that failed to load', () => {
  it('shows the failure in its place, keeps the frame, and loads again once the event stream is back', async () => {
    const stores = makeStores();
    const { Part, loads } = partFailing(1);
    stores.connection.getState().setStatus('open');
    render(
      <Page stores={stores}>
        <Part />
      </Page>,
    );
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', expect.stringContaining('The charts could not be shown'));
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeTruthy();
    // The daemon goes away and comes back: the stream drops, then opens.
    act(() => stores.connection.getState().setStatus('closed'));
    expect(screen.queryByText('the charts')).toBeNull();
    act(() => stores.connection.getState().setStatus('open'));
    expect(await screen.findByText('the charts')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(loads.count).toBe(2);
  });

  it('loads again on "Try again"', async () => {
    const stores = makeStores();
    const { Part, loads } = partFailing(1);
    render(
      <Page stores={stores}>
        <Part />
      </Page>,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('the charts')).toBeTruthy();
    expect(loads.count).toBe(2);
  });

  it('is not loaded again when the stream reconnects after it loaded', async () => {
    const stores = makeStores();
    const { Part, loads } = partFailing(0);
    render(
      <Page stores={stores}>
        <Part />
      </Page>,
    );
    expect(await screen.findByText('the charts')).toBeTruthy();
    act(() => stores.connection.getState().setStatus('closed'));
    act(() => stores.connection.getState().setStatus('open'));
    expect(screen.getByText('the charts')).toBeTruthy();
    expect(loads.count).toBe(1);
  });
});
