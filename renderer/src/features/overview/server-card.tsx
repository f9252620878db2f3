import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Card } from '../../components/ui/card';
import { HealthBadge, StateBadge, stateWord } from '../../components/ui/health-badge';
import { formatDuration } from '@shared/duration';
import { formatBytes } from '../../lib/format';
import { useDomain } from '../../stores/context';
import type { ServerSummary } from '../../stores/types';
import { HealthActionButton, useHealth } from '../servers/health-action';

/** Uptime moves on by itself: a clock in the page, not a question to the daemon. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function ServerCard({ server }: { server: ServerSummary }) {
  const health = useHealth(server);
  const usage = useDomain('servers', (state) => state.resources[server.name]);
  // The state is the badge above: a reason that only repeats it ("running") is not said twice.
  const reason = health.reason === stateWord(server.state) ? undefined : health.reason;
  const now = useNow(server.state === 'running');
  const facts = [
    ['Tools', String(server.toolCount)],
    ['Uptime', server.state === 'running' && server.startedAt ? formatDuration(now - server.startedAt, 'approximate') : '–'],
    ['Restarts', String(server.restarts)],
    ['CPU', usage ? `${usage.cpuPercent.toFixed(1)} %` : '–'],
    ['Memory', usage ? formatBytes(usage.memoryBytes) : '–'],
  ];
  return (
    <Card className="flex h-full flex-col gap-3" data-testid={`server-card-${server.name}`}>
      <div className="flex items-start justify-between gap-2">
        <Link to={`/servers/${encodeURIComponent(server.name)}`} className="truncate font-semibold hover:underline">
          {server.name}
        </Link>
        <StateBadge state={server.state} />
      </div>
      <div className="flex items-start gap-2">
        <HealthBadge level={health.level} />
        {reason && <p className="min-w-0 flex-1 break-words text-xs text-muted">{reason}</p>}
      </div>
      <dl className="grid grid-cols-5 gap-1 text-xs">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt className="text-muted">{label}</dt>
            <dd className="font-medium tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      <div className="mt-auto">
        <HealthActionButton server={server} health={health} />
      </div>
    </Card>
  );
}
