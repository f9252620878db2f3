/** Overview: the mode, every server at a glance with its health, totals, and charts over time. */
import { overallLevel, serverHealth } from '@shared/health';
import { Suspense, useEffect } from 'react';
import { toast } from 'sonner';
import { PageHeader } from '../../components/layout/app-shell';
import { PartBoundary, reloadableLazy } from '../../components/layout/part-boundary';
import { Card } from '../../components/ui/card';
import { HealthBadge } from '../../components/ui/health-badge';
import { Label } from '../../components/ui/input';
import { Empty, ErrorState, Loading } from '../../components/ui/states';
import { Switch } from '../../components/ui/switch';
import { formatCount, formatMs, formatPercent } from '../../lib/format';
import { isStarting } from '../../stores/connection.store';
import { useDomain, useStores } from '../../stores/context';
import { ServerCard } from './server-card';

const OverviewCharts = reloadableLazy(() => import('./overview-charts'));

function ModeSwitch() {
  const stores = useStores();
  const mode = useDomain('keys', (state) => state.mode);
  const pending = useDomain('keys', (state) => state.modePending);
  useEffect(() => {
    void stores.keys.getState().loadMode();
  }, [stores]);
  return (
    <div className="flex items-center gap-2 rounded-md border border-line bg-raised px-3 py-1.5">
      <Label htmlFor="mode-switch" className="text-sm text-fg">
        Batch mode
      </Label>
      <Switch
        id="mode-switch"
        checked={mode === 'batch'}
        disabled={mode === undefined || pending}
        onCheckedChange={(on) => {
          stores.keys
            .getState()
            .setMode(on ? 'batch' : 'proxy')
            .then(() => toast.success(on ? 'Batch mode: batch_execute is offered on every endpoint' : 'Proxy mode'))
            .catch((error: Error) => toast.error(error.message));
        }}
      />
      <span className="text-xs text-muted">{mode === undefined ? '…' : mode === 'batch' ? 'batch_execute on' : 'proxy only'}</span>
    </div>
  );
}

function Totals() {
  const series = useDomain('stats', (state) => state.series);
  const status = useDomain('stats', (state) => state.status);
  const error = useDomain('stats', (state) => state.error);
  const stores = useStores();
  if (status === 'error') return <ErrorState message={error ?? 'failed'} onRetry={() => void stores.stats.getState().load()} />;
  const totals = series?.totals;
  const items = [
    { label: 'Calls (last hour)', value: totals ? formatCount(totals.count) : '…' },
    { label: 'Success rate', value: totals ? formatPercent(totals.count - totals.errors, totals.count) : '…' },
    { label: 'p50', value: totals?.count ? formatMs(totals.p50Ms) : '–' },
    { label: 'p95', value: totals?.count ? formatMs(totals.p95Ms) : '–' },
  ];
  return (
    <section aria-label="Totals" className="grid grid-cols-2 gap-3 md:grid-cols-4">
      {items.map((item) => (
        <Card key={item.label} className="p-3">
          <p className="text-xs text-muted">{item.label}</p>
          <p className="mt-1 text-2xl font-semibold tabular-nums">{item.value}</p>
        </Card>
      ))}
    </section>
  );
}

/**
 * The header's line: the health of all servers and how many there are, once the list is known;
 * until then that it is loading (or that the desktop app's core is starting), not "Off · 0".
 */
export function ServersSummary() {
  const servers = useDomain('servers', (state) => state.servers);
  const status = useDomain('servers', (state) => state.status);
  const issues = useDomain('servers', (state) => state.configIssues);
  const starting = useDomain('connection', isStarting);
  // A reload that failed leaves the list the page had (and shows): that one is still summed up.
  if (status !== 'ready' && !(status === 'error' && servers.length > 0)) {
    const text = starting ? 'MCP Orch is starting…' : status === 'error' ? 'The server list could not be loaded.' : 'Loading…';
    return <span>{text}</span>;
  }
  const level = overallLevel(servers.map((server) => serverHealth({ ...server, configIssues: issues }).level));
  return (
    <span className="inline-flex items-center gap-2">
      All servers: <HealthBadge level={level} /> {servers.length} configured
    </span>
  );
}

export function OverviewPage() {
  const stores = useStores();
  const servers = useDomain('servers', (state) => state.servers);
  const status = useDomain('servers', (state) => state.status);
  const error = useDomain('servers', (state) => state.error);
  useEffect(() => {
    if (stores.stats.getState().status !== 'loading') void stores.stats.getState().load();
  }, [stores]);
  useEffect(() => {
    if (status === 'ready') performance.mark('orch:overview-ready');
  }, [status]);
  return (
    <>
      <PageHeader title="Overview" description={<ServersSummary />} actions={<ModeSwitch />} />
      <Totals />
      <section aria-labelledby="servers-heading" className="mt-6">
        <h2 id="servers-heading" className="mb-3 text-sm font-semibold">
          Servers
        </h2>
        {status === 'loading' || status === 'idle' ? <Loading label="Loading servers…" /> : null}
        {status === 'error' ? <ErrorState message={error ?? 'failed'} onRetry={() => void stores.servers.getState().load()} /> : null}
        {status === 'ready' && servers.length === 0 ? (
          <Empty title="No servers configured">Add one on the Config page, or import them from the clients you already use.</Empty>
        ) : null}
        <ul className="grid grid-cols-1 gap-3 md:grid-cols-2 xl:grid-cols-3">
          {servers.map((server) => (
            <li key={server.name}>
              <ServerCard server={server} />
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="charts-heading" className="mt-6">
        <h2 id="charts-heading" className="mb-3 text-sm font-semibold">
          Last hour, per minute
        </h2>
        {/* The charts (and Recharts with them) load once the cards are up, so they do not hold the cards back. */}
        {status === 'loading' || status === 'idle' ? (
          <Loading label="Loading charts…" />
        ) : (
          <PartBoundary label="The charts">
            <Suspense fallback={<Loading label="Loading charts…" />}>
              <OverviewCharts />
            </Suspense>
          </PartBoundary>
        )}
      </section>
    </>
  );
}
