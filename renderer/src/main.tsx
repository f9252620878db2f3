/**
 * The dashboard's entry: takes the token out of the address bar, picks the bridge or fetch,
 * makes the stores, follows the live events, renders the app.
 */
import { z } from 'zod';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { chooseClient } from './api/orch-client';
import { takeToken } from './api/token';
import { App } from './app';
import { createStores, prefetchFirstScreen, startLiveUpdates } from './stores/stores';
import './index.css';

// The page's CSP has no 'unsafe-eval': zod must not try to compile validators with new Function.
z.config({ jitless: true });

performance.mark('orch:start');
const tokenHolder = { token: takeToken({ location: window.location, history: window.history, storage: window.sessionStorage }) };
const choice = chooseClient(window, () => tokenHolder.token);
const stores = createStores(choice.client);
startLiveUpdates(stores);
if (choice.kind === 'bridge' || tokenHolder.token !== undefined) prefetchFirstScreen(stores, window.location.pathname);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App stores={stores} tokenHolder={tokenHolder} bridge={choice.kind === 'bridge'} />
  </StrictMode>,
);
