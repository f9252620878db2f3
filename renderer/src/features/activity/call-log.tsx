import { useState } from 'react';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { Input, Label, Select } from '../../components/ui/input';
import { Empty, ErrorState, Loading } from '../../components/ui/states';
import { Table, Td, Th } from '../../components/ui/table';
import { formatBytes, formatMs, formatTime } from '../../lib/format';
import type { CallFilters } from '../../stores/activity.store';
import { useDomain, useStores } from '../../stores/context';
import { Pager, TimeFilter } from './time-filter';

export function CallLog() {
  const stores = useStores();
  const calls = useDomain('activity', (state) => state.calls);
  const fresh = useDomain('activity', (state) => state.newCalls);
  const servers = useDomain('servers', (state) => state.servers);
  const [draft, setDraft] = useState<CallFilters>({});
  const load = (filters: CallFilters, page: 'first' | 'older' | 'newer' = 'first') =>
    void stores.activity.getState().loadCalls(filters, page);
  return (
    <div>
      <form
        className="flex flex-wrap items-end gap-3"
        aria-label="Filter calls"
        onSubmit={(event) => {
          event.preventDefault();
          load(draft);
        }}
      >
        <div className="flex flex-col gap-1">
          <Label htmlFor="call-server">Server</Label>
          <Select
            id="call-server"
            value={draft.server ?? ''}
            onChange={(event) => setDraft({ ...draft, server: event.target.value || undefined })}
          >
            <option value="">All</option>
            {servers.map((server) => (
              <option key={server.name}>{server.name}</option>
            ))}
          </Select>
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="call-tool">Tool</Label>
          <Input
            id="call-tool"
            value={draft.tool ?? ''}
            onChange={(event) => setDraft({ ...draft, tool: event.target.value || undefined })}
          />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="call-client">Client</Label>
          <Input
            id="call-client"
            value={draft.client ?? ''}
            onChange={(event) => setDraft({ ...draft, client: event.target.value || undefined })}
          />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="call-outcome">Outcome</Label>
          <Select
            id="call-outcome"
            value={draft.ok === undefined ? '' : String(draft.ok)}
            onChange={(event) => setDraft({ ...draft, ok: event.target.value === '' ? undefined : event.target.value === 'true' })}
          >
            <option value="">Any</option>
            <option value="true">Succeeded</option>
            <option value="false">Failed</option>
          </Select>
        </div>
        <TimeFilter id="call-time" value={draft.withinMs} onChange={(withinMs) => setDraft({ ...draft, withinMs })} />
        <Button type="submit" variant="primary">
          Apply filters
        </Button>
        {fresh > 0 && calls.previous.length === 0 ? (
          <Button onClick={() => load(calls.filters)} aria-live="polite">
            {fresh} new call{fresh === 1 ? '' : 's'}: show
          </Button>
        ) : null}
      </form>
      <div className="mt-4">
        {calls.status === 'loading' ? <Loading /> : null}
        {calls.status === 'error' ? <ErrorState message={calls.error ?? 'failed'} onRetry={() => load(calls.filters)} /> : null}
        {calls.status === 'ready' && calls.items.length === 0 ? (
          <Empty title="No calls match">Calls appear here as clients use the servers.</Empty>
        ) : null}
        {calls.items.length > 0 && calls.status !== 'loading' ? (
          <Table aria-label="Calls">
            <thead>
              <tr>
                <Th>Time</Th>
                <Th>Server</Th>
                <Th>Method · tool</Th>
                <Th>Client</Th>
                <Th>Outcome</Th>
                <Th>Duration</Th>
                <Th>In / out</Th>
              </tr>
            </thead>
            <tbody>
              {calls.items.map((call) => (
                <tr key={call.id}>
                  <Td className="whitespace-nowrap text-xs">{formatTime(call.time)}</Td>
                  <Td>{call.server}</Td>
                  <Td className="font-mono text-xs">
                    {call.method}
                    {call.tool ? ` · ${call.tool}` : ''}
                  </Td>
                  <Td className="text-xs">{call.client ?? '–'}</Td>
                  <Td>
                    {call.ok ? <Badge tone="ok">ok</Badge> : <Badge tone="bad">failed</Badge>}
                    {call.error ? <div className="mt-1 max-w-72 break-words text-xs text-bad">{call.error}</div> : null}
                  </Td>
                  <Td className="tabular-nums">{formatMs(call.durationMs)}</Td>
                  <Td className="whitespace-nowrap text-xs tabular-nums">
                    {formatBytes(call.bytesIn)} / {formatBytes(call.bytesOut)}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : null}
        <Pager
          label="Calls"
          page={calls.previous.length + 1}
          hasOlder={calls.nextCursor !== undefined}
          onNewer={() => load(calls.filters, 'newer')}
          onOlder={() => load(calls.filters, 'older')}
        />
      </div>
    </div>
  );
}
