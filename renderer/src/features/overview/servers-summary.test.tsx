/**
 * The Overview header's line says what is known: loading (or the desktop app's core starting)
 * until the first server list came, then the health of all servers and how many there are; not
 * "All servers: Off · 0 configured" before anything is known.
 */
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '@shared/api/client';
import { fetchTransport } from '@shared/api/fetch-transport';
import { StoresProvider } from '../../stores/context';
import { createStores, type Stores } from '../../stores/stores';
import { ServersSummary } from './overview-page';

afterEach(cleanup);

/** Stores whose client is never called here: the test sets the states the page goes through. */
const makeStores = (): Stores => createStores(createClient(fetchTransport({ baseUrl: 'http://127.0.0.1:9' })));

function renderSummary(stores: Stores) {
  return render(
    <StoresProvider stores={stores}>
      <p data-testid="summary">
        <ServersSummary />
      </p>
    </StoresProvider>,
  );
}

const summary = () => screen.getByTestId('summary').textContent;

describe("the Overview header's summary", () => {
  it('says it is loading until the server list is known, then sums it up', () => {
    const stores = makeStores();
    renderSummary(stores);
    expect(summary()).toBe('Loading…');
    act(() => stores.servers.setState({ status: 'loading' }));
    expect(summary()).toBe('Loading…');
    act(() => stores.servers.setState({ status: 'ready', servers: [] }));
    expect(summary()).toBe('All servers: Off 0 configured');
  });

  it("says MCP Orch is starting while the desktop app's core starts", () => {
    const stores = makeStores();
    stores.connection.getState().setStatus('starting');
    stores.servers.setState({ status: 'loading' });
    renderSummary(stores);
    expect(summary()).toBe('MCP Orch is starting…');
    expect(summary()).not.toContain('configured');
  });

  it('says the list could not be loaded when the first load failed', () => {
    const stores = makeStores();
    stores.servers.setState({ status: 'error', error: 'no MCP Orch daemon answers' });
    renderSummary(stores);
    expect(summary()).toBe('The server list could not be loaded.');
  });
});
