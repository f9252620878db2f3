/** Tools: one searchable catalog across servers (virtualised: thousands scroll smoothly), and a tool in detail. */
import { useEffect, useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { PageHeader } from '../../components/layout/app-shell';
import { Input, Label, Select } from '../../components/ui/input';
import { Empty, ErrorState, Loading } from '../../components/ui/states';
import { useDomain, useStores } from '../../stores/context';
import { formatCount } from '../../lib/format';
import { filterTools } from '../../stores/tools.store';
import { ToolCatalog } from './tool-catalog';
import { ToolDetail } from './tool-detail';

export default function ToolsPage() {
  const stores = useStores();
  const { server, tool } = useParams();
  const tools = useDomain('tools', (state) => state.tools);
  const haystack = useDomain('tools', (state) => state.haystack);
  const status = useDomain('tools', (state) => state.status);
  const error = useDomain('tools', (state) => state.error);
  const [query, setQuery] = useState('');
  const [only, setOnly] = useState('');
  useEffect(() => {
    void stores.tools.getState().load();
  }, [stores]);
  const servers = useMemo(() => [...new Set(tools.map((item) => item.server))], [tools]);
  const shown = useMemo(() => filterTools({ tools, haystack }, query, only || undefined), [tools, haystack, query, only]);
  useEffect(() => {
    performance.mark('orch:catalog-filtered');
  }, [shown]);
  const selected =
    server !== undefined && tool !== undefined ? tools.find((item) => item.server === server && item.name === tool) : undefined;
  return (
    <>
      <PageHeader title="Tools" description="Every tool of every server: its schema, its switch, and a form to try it." />
      {status === 'error' ? <ErrorState message={error ?? 'failed'} onRetry={() => void stores.tools.getState().load()} /> : null}
      <div className="grid grid-cols-1 gap-5 xl:grid-cols-[minmax(320px,420px)_1fr]">
        <section aria-label="Catalog" className="flex min-w-0 flex-col gap-2">
          <div className="flex gap-2">
            <Input
              type="search"
              aria-label="Search tools"
              placeholder="Search names and descriptions…"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
              className="flex-1"
            />
            <Label htmlFor="tool-server" className="sr-only">
              Server
            </Label>
            <Select id="tool-server" value={only} onChange={(event) => setOnly(event.target.value)}>
              <option value="">All servers</option>
              {servers.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </Select>
          </div>
          <p className="text-xs text-muted" role="status" aria-live="polite" data-testid="catalog-count">
            {status === 'ready' ? `${formatCount(shown.length)} of ${formatCount(tools.length)} tools` : ''}
          </p>
          {status === 'loading' || status === 'idle' ? <Loading label="Loading the catalog…" /> : null}
          {status === 'ready' && tools.length === 0 ? (
            <Empty title="No tools yet">Tools appear as soon as a server is running.</Empty>
          ) : null}
          {status === 'ready' && tools.length > 0 && shown.length === 0 ? (
            <Empty title="No tool matches">Try other words, or all servers.</Empty>
          ) : null}
          {shown.length > 0 ? <ToolCatalog tools={shown} selected={selected} /> : null}
        </section>
        <div className="min-w-0">
          {selected ? <ToolDetail key={`${selected.server}/${selected.name}`} tool={selected} /> : null}
          {server !== undefined && !selected && status === 'ready' ? (
            <ErrorState message={`No tool "${tool ?? ''}" on "${server}".`} />
          ) : null}
          {server === undefined ? <Empty title="Choose a tool">Its schema, its switch and a form to try it show here.</Empty> : null}
        </div>
      </div>
    </>
  );
}
