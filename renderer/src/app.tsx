/**
 * Routes and the frame around every page. Pages other than the Overview load on first visit; a page
 * whose download fails shows an error inside the frame and loads again when the daemon is back.
 */
import { Suspense, useState } from 'react';
import { BrowserRouter, Route, Routes, useLocation } from 'react-router';
import { Toaster } from 'sonner';
import { AppShell } from './components/layout/app-shell';
import { PartBoundary, reloadableLazy } from './components/layout/part-boundary';
import { TokenGate } from './components/layout/token-gate';
import { Loading } from './components/ui/states';
import { OverviewPage } from './features/overview/overview-page';
import { StoresProvider } from './stores/context';
import type { Stores } from './stores/stores';
import { NotFoundPage } from './features/not-found-page';

const ServersPage = reloadableLazy(() => import('./features/servers/servers-page'));
const ToolsPage = reloadableLazy(() => import('./features/tools/tools-page'));
const RunsPage = reloadableLazy(() => import('./features/runs/runs-page'));
const ActivityPage = reloadableLazy(() => import('./features/activity/activity-page'));
const ConfigPage = reloadableLazy(() => import('./features/config/config-page'));
const ImportPage = reloadableLazy(() => import('./features/import/import-page'));
const ClientsPage = reloadableLazy(() => import('./features/clients/clients-page'));
const SettingsPage = reloadableLazy(() => import('./features/settings/settings-page'));

/** The page of the address, inside a boundary that a change of address clears. */
function Pages() {
  const { pathname } = useLocation();
  return (
    <PartBoundary label="This page" resetOn={pathname}>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/" element={<OverviewPage />} />
          <Route path="/servers" element={<ServersPage />} />
          <Route path="/servers/:name" element={<ServersPage />} />
          <Route path="/tools" element={<ToolsPage />} />
          <Route path="/tools/:server/:tool" element={<ToolsPage />} />
          <Route path="/runs" element={<RunsPage />} />
          <Route path="/runs/:id" element={<RunsPage />} />
          <Route path="/activity" element={<ActivityPage />} />
          <Route path="/config" element={<ConfigPage />} />
          <Route path="/import" element={<ImportPage />} />
          <Route path="/clients" element={<ClientsPage />} />
          <Route path="/settings" element={<SettingsPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </PartBoundary>
  );
}

export interface AppProps {
  stores: Stores;
  tokenHolder: { token: string | undefined };
  bridge: boolean;
}

export function App({ stores, tokenHolder, bridge }: AppProps) {
  const [hasToken, setHasToken] = useState(bridge || tokenHolder.token !== undefined);
  return (
    <StoresProvider stores={stores}>
      <BrowserRouter>
        <TokenGate
          hasToken={hasToken}
          onToken={(token) => {
            tokenHolder.token = token;
            setHasToken(true);
          }}
        >
          <AppShell>
            <Pages />
          </AppShell>
        </TokenGate>
      </BrowserRouter>
      <Toaster position="bottom-right" richColors closeButton />
    </StoresProvider>
  );
}
