/** Charts over the last hour: calls per minute, latency (p95) and errors, per server. Loaded apart: Recharts is large. */
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Card, CardTitle } from '../../components/ui/card';
import { Empty } from '../../components/ui/states';
import { useDomain } from '../../stores/context';
import type { Series } from '../../stores/types';

const COLOURS = ['#2563eb', '#16a34a', '#d97706', '#db2777', '#7c3aed', '#0891b2', '#dc2626', '#65a30d'];

type Row = Record<string, number | string>;

/** One row per bucket with a column per server, for the given figure. */
export function chartRows(series: Series, figure: 'count' | 'p95Ms' | 'errors'): { rows: Row[]; servers: string[] } {
  const servers = [...new Set(series.points.map((point) => point.server))].sort();
  const rows: Row[] = [];
  const index = new Map<number, Row>();
  // One formatter for every row: toLocaleTimeString with options builds a new one per call.
  const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
  for (let time = series.since; time < series.until; time += series.bucketMs) {
    const row: Row = { time, label: clock.format(time) };
    for (const server of servers) row[server] = 0;
    rows.push(row);
    index.set(time, row);
  }
  for (const point of series.points) {
    const row = index.get(point.time);
    if (row) row[point.server] = point[figure];
  }
  return { rows, servers };
}

function Chart({
  title,
  series,
  figure,
  kind,
  unit,
}: {
  title: string;
  series: Series;
  figure: 'count' | 'p95Ms' | 'errors';
  kind: 'bar' | 'line';
  unit?: string;
}) {
  const { rows, servers } = chartRows(series, figure);
  const axis = { stroke: 'currentColor', fontSize: 11 };
  const body =
    kind === 'bar' ? (
      <BarChart data={rows}>
        <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.25} />
        <XAxis dataKey="label" tick={axis} minTickGap={24} />
        <YAxis tick={axis} allowDecimals={false} width={40} />
        <Tooltip contentStyle={{ background: 'var(--color-raised)', border: '1px solid var(--color-line)' }} />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        {servers.map((server, i) => (
          <Bar key={server} dataKey={server} stackId="s" fill={COLOURS[i % COLOURS.length]} isAnimationActive={false} />
        ))}
      </BarChart>
    ) : (
      <LineChart data={rows}>
        <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.25} />
        <XAxis dataKey="label" tick={axis} minTickGap={24} />
        <YAxis tick={axis} width={48} unit={unit} />
        <Tooltip contentStyle={{ background: 'var(--color-raised)', border: '1px solid var(--color-line)' }} />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        {servers.map((server, i) => (
          <Line key={server} dataKey={server} stroke={COLOURS[i % COLOURS.length]} dot={false} isAnimationActive={false} />
        ))}
      </LineChart>
    );
  return (
    <Card className="text-muted">
      <CardTitle className="mb-2 text-fg">{title}</CardTitle>
      <figure aria-label={title} className="h-48">
        <ResponsiveContainer width="100%" height="100%">
          {body}
        </ResponsiveContainer>
      </figure>
    </Card>
  );
}

export default function OverviewCharts() {
  const series = useDomain('stats', (state) => state.series);
  if (!series) return null;
  if (series.points.length === 0)
    return <Empty title="No calls in the last hour">Calls through MCP Orch are charted here as they happen.</Empty>;
  return (
    <div className="grid grid-cols-1 gap-3 xl:grid-cols-3">
      <Chart title="Calls per minute" series={series} figure="count" kind="bar" />
      <Chart title="Latency, p95 per minute" series={series} figure="p95Ms" kind="line" unit=" ms" />
      <Chart title="Errors per minute" series={series} figure="errors" kind="bar" />
    </div>
  );
}
