/** Servers: the list, and one server in detail (command line, endpoints, controls, logs, tools). */
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../components/layout/app-shell';
import { HealthBadge, StateBadge } from '../../components/ui/health-badge';
import { Empty, ErrorState, Loading } from '../../components/ui/states';
import { Table, Td, Th } from '../../components/ui/table';
import { useDomain, useStores } from '../../stores/context';
import type { ServerSummary } from '../../stores/types';
import { useHealth } from './health-action';
import { ServerDetailView } from './server-detail';

function Row({ server, selected }: { server: ServerSummary; selected: boolean }) {
  const health = useHealth(server);
  return (
    <tr className={selected ? 'bg-panel' : undefined}>
      <Td>
        <Link
          to={`/servers/${encodeURIComponent(server.name)}`}
          className="font-medium text-accent hover:underline"
          aria-current={selected ? 'page' : undefined}
        >
          {server.name}
        </Link>
      </Td>
      <Td className="whitespace-nowrap">
        <StateBadge state={server.state} />
      </Td>
      <Td className="whitespace-nowrap">
        <HealthBadge level={health.level} />
      </Td>
      <Td className="tabular-nums">{server.toolCount}</Td>
    </tr>
  );
}

export default function ServersPage() {
  const { name } = useParams();
  const stores = useStores();
  const servers = useDomain('servers', (state) => state.servers);
  const status = useDomain('servers', (state) => state.status);
  const error = useDomain('servers', (state) => state.error);
  const selected = name === undefined ? undefined : servers.find((server) => server.name === name);
  return (
    <>
      <PageHeader title="Servers" description="Every configured server: its command, endpoints, controls, live log and tools." />
      {status === 'error' ? <ErrorState message={error ?? 'failed'} onRetry={() => void stores.servers.getState().load()} /> : null}
      {status === 'loading' || status === 'idle' ? <Loading /> : null}
      {status === 'ready' && servers.length === 0 ? <Empty title="No servers configured">Add one on the Config page.</Empty> : null}
      {servers.length > 0 ? (
        <div className="grid grid-cols-1 gap-5 xl:grid-cols-[max-content_minmax(0,1fr)]">
          <div className="self-start">
            <Table aria-label="Servers">
              <thead>
                <tr>
                  <Th>Name</Th>
                  <Th>State</Th>
                  <Th>Health</Th>
                  <Th>Tools</Th>
                </tr>
              </thead>
              <tbody>
                {servers.map((server) => (
                  <Row key={server.name} server={server} selected={server.name === name} />
                ))}
              </tbody>
            </Table>
          </div>
          <div className="min-w-0">
            {selected ? <ServerDetailView server={selected} /> : null}
            {name !== undefined && !selected && status === 'ready' ? <ErrorState message={`No server named "${name}".`} /> : null}
            {name === undefined ? (
              <Empty title="Choose a server">Its command line, endpoints, controls, live log and tools show here.</Empty>
            ) : null}
          </div>
        </div>
      ) : null}
    </>
  );
}
