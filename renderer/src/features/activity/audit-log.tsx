import { useState } from 'react';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { Input, Label, Select } from '../../components/ui/input';
import { Empty, ErrorState, Loading } from '../../components/ui/states';
import { Table, Td, Th } from '../../components/ui/table';
import { formatTime } from '../../lib/format';
import type { AuditFilters } from '../../stores/activity.store';
import { useDomain, useStores } from '../../stores/context';
import { Pager, TimeFilter } from './time-filter';

export function AuditLog() {
  const stores = useStores();
  const audit = useDomain('activity', (state) => state.audit);
  const [draft, setDraft] = useState<AuditFilters>({});
  const load = (filters: AuditFilters, page: 'first' | 'older' | 'newer' = 'first') =>
    void stores.activity.getState().loadAudit(filters, page);
  return (
    <div>
      <form
        className="flex flex-wrap items-end gap-3"
        aria-label="Filter the audit log"
        onSubmit={(event) => {
          event.preventDefault();
          load(draft);
        }}
      >
        <div className="flex flex-col gap-1">
          <Label htmlFor="audit-key">Key</Label>
          <Input
            id="audit-key"
            value={draft.keyName ?? ''}
            onChange={(event) => setDraft({ ...draft, keyName: event.target.value || undefined })}
          />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="audit-action">Action</Label>
          <Input
            id="audit-action"
            placeholder="servers.* or tools/call"
            value={draft.action ?? ''}
            onChange={(event) => setDraft({ ...draft, action: event.target.value || undefined })}
          />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="audit-outcome">Outcome</Label>
          <Select
            id="audit-outcome"
            value={draft.outcome ?? ''}
            onChange={(event) => setDraft({ ...draft, outcome: (event.target.value || undefined) as AuditFilters['outcome'] })}
          >
            <option value="">Any</option>
            <option value="ok">ok</option>
            <option value="error">error</option>
            <option value="denied">denied</option>
          </Select>
        </div>
        <TimeFilter id="audit-time" value={draft.withinMs} onChange={(withinMs) => setDraft({ ...draft, withinMs })} />
        <Button type="submit" variant="primary">
          Apply filters
        </Button>
      </form>
      <div className="mt-4">
        {audit.status === 'loading' ? <Loading /> : null}
        {audit.status === 'error' ? <ErrorState message={audit.error ?? 'failed'} onRetry={() => load(audit.filters)} /> : null}
        {audit.status === 'ready' && audit.items.length === 0 ? <Empty title="No audit entries match" /> : null}
        {audit.items.length > 0 && audit.status !== 'loading' ? (
          <Table aria-label="Audit log">
            <thead>
              <tr>
                <Th>Time</Th>
                <Th>Key</Th>
                <Th>Action</Th>
                <Th>Target</Th>
                <Th>Outcome</Th>
                <Th>Details</Th>
              </tr>
            </thead>
            <tbody>
              {audit.items.map((entry) => (
                <tr key={entry.id}>
                  <Td className="whitespace-nowrap text-xs">{formatTime(entry.time)}</Td>
                  <Td className="text-xs">{entry.keyName ?? '–'}</Td>
                  <Td className="font-mono text-xs">{entry.action}</Td>
                  <Td className="text-xs">{entry.target ?? '–'}</Td>
                  <Td>
                    <Badge tone={entry.outcome === 'ok' ? 'ok' : entry.outcome === 'denied' ? 'warn' : 'bad'}>{entry.outcome}</Badge>
                  </Td>
                  <Td className="max-w-80 break-words font-mono text-xs">
                    {entry.details === undefined ? '' : JSON.stringify(entry.details)}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : null}
        <Pager
          label="Audit"
          page={audit.previous.length + 1}
          hasOlder={audit.nextCursor !== undefined}
          onNewer={() => load(audit.filters, 'newer')}
          onOlder={() => load(audit.filters, 'older')}
        />
      </div>
    </div>
  );
}
